package io.estuary.kafka.follower;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Where the brokers are, and how long a {@link TopicFollower} pauses before it starts again after a failure: the first
 * pause, doubled after each failure in a row up to the longest.
 */
public record KafkaSettings(String bootstrapServers, Duration firstRestart, Duration maxRestart) {
    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (firstRestart.isNegative() || maxRestart.compareTo(firstRestart) < 0) {
            throw new IllegalArgumentException("restart pauses must satisfy 0 <= first <= max, got " + firstRestart
                    + " and " + maxRestart);
        }
    }

    /** The same brokers, with other restart pauses. */
    public KafkaSettings withRestart(Duration first, Duration max) {
        return new KafkaSettings(bootstrapServers, first, max);
    }

    /** What every consumer starts from: the brokers, and no automatic commits. */
    public Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }
}
