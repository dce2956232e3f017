package io.estuary.kafka.quarkus;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Kafka settings of the services' own clients ({@code estuary.kafka.*}); {@link TopicFollowers#settings()} adds the
 * security settings of the global {@code kafka.*} configuration to them.
 */
@ConfigMapping(prefix = "estuary.kafka")
public interface KafkaConfig {
    /** The brokers; by default those the Reactive Messaging channels use. */
    @WithDefault("${kafka.bootstrap.servers}")
    String bootstrapServers();

    Follower follower();

    interface Follower {
        /** Pause before a failed follower starts again; doubled after each failure in a row. */
        @WithDefault("PT0.5S")
        Duration firstRestart();

        /** Longest pause before a failed follower starts again. */
        @WithDefault("PT30S")
        Duration maxRestart();
    }
}
