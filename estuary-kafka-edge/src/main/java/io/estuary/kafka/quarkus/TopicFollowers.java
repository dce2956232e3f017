package io.estuary.kafka.quarkus;

import java.util.List;
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

/** The service's topic followers: started here, reported by {@link FollowersReadiness}, closed at shutdown. */
@ApplicationScoped
public class TopicFollowers {
    @Inject
    KafkaConfig config;

    private final List<TopicFollower> followers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Starts a follower with the service's Kafka settings. */
    public TopicFollower follow(String name, Subscription subscription, RecordHandler handler) {
        return follow(name, config.settings(), subscription, handler);
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

    public KafkaSettings settings() {
        return config.settings();
    }

    public List<FollowerHealth> health() {
        return followers.stream().map(TopicFollower::health).toList();
    }

    void stop(@Observes ShutdownEvent event) {
        closed = true;
        followers.forEach(TopicFollower::close);
    }
}
