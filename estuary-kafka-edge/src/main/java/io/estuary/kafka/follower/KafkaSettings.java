package io.estuary.kafka.follower;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Where the brokers are, how a client authenticates to them ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}),
 * and how long a {@link TopicFollower} pauses before it starts again after a failure: the first pause, doubled after
 * each failure in a row up to the longest.
 */
public record KafkaSettings(String bootstrapServers, Duration firstRestart, Duration maxRestart,
        Map<String, String> security) {
    /** Quarkus's name of a TLS registry configuration that its SSL engine factory ({@code ssl.*}) reads. */
    private static final String TLS_CONFIGURATION_NAME = "tls-configuration-name";

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (firstRestart.isNegative() || maxRestart.compareTo(firstRestart) < 0) {
            throw new IllegalArgumentException("restart pauses must satisfy 0 <= first <= max, got " + firstRestart
                    + " and " + maxRestart);
        }
        security = Map.copyOf(security);
    }

    /** Brokers reached without authentication (a plaintext listener). */
    public KafkaSettings(String bootstrapServers, Duration firstRestart, Duration maxRestart) {
        this(bootstrapServers, firstRestart, maxRestart, Map.of());
    }

    /**
     * The security settings among a service's global Kafka client configuration (the {@code kafka.*} properties, set
     * in containers as {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG}, ...), which the Reactive
     * Messaging channels use too: every client of the service then reaches the same listener the same way.
     */
    public static Map<String, String> securityOf(Map<String, ?> kafkaClientConfig) {
        Map<String, String> security = new TreeMap<>();
        kafkaClientConfig.forEach((key, value) -> {
            if (value != null && (key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("sasl.")
                    || key.startsWith("ssl.") || key.equals(TLS_CONFIGURATION_NAME))) {
                security.put(key, value.toString());
            }
        });
        return security;
    }

    /** The same brokers, with other restart pauses. */
    public KafkaSettings withRestart(Duration first, Duration max) {
        return new KafkaSettings(bootstrapServers, first, max, security);
    }

    /** The same brokers and pauses, reached with these security settings. */
    public KafkaSettings withSecurity(Map<String, String> settings) {
        return new KafkaSettings(bootstrapServers, firstRestart, maxRestart, settings);
    }

    /** What every client starts from (admin clients too): the brokers and how to authenticate to them. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.putAll(security);
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /** What every consumer starts from: the client properties, and no automatic commits. */
    public Properties consumerProperties() {
        Properties properties = clientProperties();
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }

    /** Names the security settings but not their values: a JAAS configuration holds a password. */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", firstRestart=" + firstRestart
                + ", maxRestart=" + maxRestart + ", security=" + security.keySet() + "]";
    }
}
