package io.estuary.signer.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CrlPublished;
import io.estuary.contracts.Topics;
import io.estuary.signer.service.CrlPublisher;
import io.quarkus.kafka.client.serialization.ObjectMapperSerializer;
import io.smallrye.common.annotation.Identifier;

/**
 * Publishes CRLs to their compacted topic, keyed by CA alias, with a producer of its own: a CRL of 100,000 entries is
 * larger than a producer's default request limit (1 MB), and the answers' producer should not wait behind it.
 */
@ApplicationScoped
public class KafkaCrlPublisher implements CrlPublisher {
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    ObjectMapper objectMapper;

    private Producer<String, CrlPublished> producer;

    @PostConstruct
    void start() {
        Map<String, Object> properties = new HashMap<>(kafkaConfig);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "ca-signer-crls");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.CRLS_MAX_MESSAGE_BYTES);
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * Topics.CRLS_MAX_MESSAGE_BYTES);
        producer = new KafkaProducer<>(properties, new StringSerializer(), new ObjectMapperSerializer<>(objectMapper));
    }

    @PreDestroy
    void stop() {
        producer.close(Duration.ofSeconds(10));
    }

    @Override
    public CompletableFuture<Void> publish(CrlPublished crl) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(Topics.CRLS, crl.alias(), crl), (metadata, failure) -> {
                if (failure == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }
}
