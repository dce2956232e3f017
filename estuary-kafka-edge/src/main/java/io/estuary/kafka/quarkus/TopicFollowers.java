package io.estuary.kafka.quarkus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.estuary.kafka.follower.FollowerHealth;
import io.estuary.kafka.follower.KafkaSettings;
import io.estuary.kafka.follower.RecordHandler;
import io.estuary.kafka.follower.Subscription;
import io.estuary.kafka.follower.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The service's topic followers: started here, reported by {@link FollowersReadiness}, closed at shutdown. Also the
 * one source of the Kafka settings for every client a service creates itself.
 */
@ApplicationScoped
public class TopicFollowers {
    @Inject
    KafkaConfig config;
    /** The global {@code kafka.*} client configuration, as Quarkus hands it to the Reactive Messaging channels. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaClientConfig;

    private final List<TopicFollower> followers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Starts a follower with the service's Kafka settings. */
    public TopicFollower follow(String name, Subscription subscription, RecordHandler handler) {
        return follow(name, settings(), subscription, handler);
    }

    /** Starts a follower with other settings (other restart pauses). */
    public TopicFollower follow(String name, KafkaSettings settings, Subscription subscription,
            RecordHandler handler) {
        TopicFollower follower = new TopicFollower(name, settings, subscription, handler);
        followers.add(follower);
        if (closed) {
            follower.close();
            throw new IllegalStateException("the service is shutting down");
        }
        return follower.start();
    }

    /** Closes a follower and stops reporting it. */
    public void unfollow(TopicFollower follower) {
        follower.close();
        followers.remove(follower);
    }

    /** The brokers, the restart pauses, and the same security settings as the Reactive Messaging channels. */
    public KafkaSettings settings() {
        return new KafkaSettings(config.bootstrapServers(), config.follower().firstRestart(),
                config.follower().maxRestart(), KafkaSettings.securityOf(kafkaClientConfig));
    }

    public List<FollowerHealth> health() {
        return followers.stream().map(TopicFollower::health).toList();
    }

    void stop(@Observes ShutdownEvent event) {
        closed = true;
        followers.forEach(TopicFollower::close);
    }
}
