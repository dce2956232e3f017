package io.estuary.kafka.follower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    /** A service's global Kafka configuration as Quarkus collects it from kafka.* and KAFKA_* (SCRAM over TLS). */
    private static final Map<String, Object> GLOBAL = Map.of(
            "bootstrap.servers", "kafka-kafka-bootstrap:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"ca-signer\" password=\"s3cret\";",
            "ssl.truststore.location", "/etc/estuary/kafka-ca/ca.crt",
            "ssl.truststore.type", "PEM",
            "client.id", "ca-signer",
            "acks", "all");

    private final KafkaSettings settings = new KafkaSettings("kafka-kafka-bootstrap:9093", Duration.ofMillis(500),
            Duration.ofSeconds(30)).withSecurity(KafkaSettings.securityOf(GLOBAL));

    @Test
    void takesTheSecuritySettingsOfTheGlobalConfigurationAndNothingElse() {
        assertEquals(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", GLOBAL.get("sasl.jaas.config"),
                "ssl.truststore.location", "/etc/estuary/kafka-ca/ca.crt",
                "ssl.truststore.type", "PEM"), settings.security());
    }

    @Test
    void everyClientCarriesThemConsumersAndAdminClientsAlike() {
        Properties admin = settings.clientProperties();
        Properties consumer = settings.consumerProperties();
        for (Properties properties : new Properties[] {admin, consumer}) {
            assertEquals("kafka-kafka-bootstrap:9093", properties.get("bootstrap.servers"));
            assertEquals("SASL_SSL", properties.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", properties.get("sasl.mechanism"));
            assertEquals(GLOBAL.get("sasl.jaas.config"), properties.get("sasl.jaas.config"));
            assertEquals("/etc/estuary/kafka-ca/ca.crt", properties.get("ssl.truststore.location"));
            assertFalse(properties.containsKey("acks"), "producer settings stay with the producers");
        }
        assertEquals("false", consumer.get("enable.auto.commit"));
    }

    @Test
    void otherRestartPausesKeepTheSecuritySettings() {
        assertEquals(settings.security(), settings.withRestart(Duration.ZERO, Duration.ZERO).security());
    }

    @Test
    void aPlaintextListenerNeedsNone() {
        KafkaSettings plain = new KafkaSettings("127.0.0.1:9092", Duration.ZERO, Duration.ZERO);
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092", "enable.auto.commit", "false"),
                Map.copyOf(plain.consumerProperties()));
    }

    @Test
    void theTextNamesNoSecretValue() {
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
    }
}
