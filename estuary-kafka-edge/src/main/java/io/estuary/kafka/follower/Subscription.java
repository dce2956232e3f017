package io.estuary.kafka.follower;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link TopicFollower} reads: every partition of the topics, from where {@code start} says.
 *
 * @param consumerProperties client settings on top of the brokers' (fetch sizes, the isolation level)
 * @param pollTimeout        how long one poll waits for records
 */
public record Subscription(List<String> topics, Start start, Map<String, String> consumerProperties,
        Duration pollTimeout) {
    public Subscription {
        topics = List.copyOf(topics);
        consumerProperties = Map.copyOf(consumerProperties);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a subscription names at least one topic");
        }
    }

    public Subscription(String topic, Start start) {
        this(List.of(topic), start, Map.of(), Duration.ofMillis(500));
    }

    public Subscription withConsumerProperties(Map<String, String> properties) {
        return new Subscription(topics, start, properties, pollTimeout);
    }

    public Subscription withPollTimeout(Duration timeout) {
        return new Subscription(topics, start, consumerProperties, timeout);
    }
}
