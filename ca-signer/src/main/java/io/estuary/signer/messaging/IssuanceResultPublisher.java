package io.estuary.signer.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.kafka.tracing.RecordTracing;
import io.quarkus.kafka.client.serialization.ObjectMapperSerializer;
import io.smallrye.common.annotation.Identifier;

/**
 * Publishes the signer's answers, keyed by requester, straight from the thread that decided them. A SmallRye outgoing
 * channel would hand every record to its own sending thread first, one more thread wake-up per certificate; the
 * Kafka producer itself is thread-safe and its send only queues the record for the producer's network thread.
 * <p>
 * An answer the broker could not take in time (it is away longer than the producer's delivery timeout) is sent again,
 * waiting 200 ms and doubling up to 10 s, until it is acknowledged: the request was decided and recorded, so its
 * answer must not be lost. Only a failure that retrying cannot mend fails the returned future.
 */
@ApplicationScoped
public class IssuanceResultPublisher {
    private static final Logger LOG = Logger.getLogger(IssuanceResultPublisher.class);
    private static final long FIRST_BACKOFF_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    RecordTracing tracing;

    private Producer<String, IssuanceResult> producer;
    private ScheduledExecutorService resends;
    private volatile boolean open = true;

    public IssuanceResultPublisher() {
    }

    /** For tests: publishes through the given producer. */
    IssuanceResultPublisher(Producer<String, IssuanceResult> producer) {
        this.producer = producer;
        this.tracing = RecordTracing.OFF;
        this.resends = newResendScheduler();
    }

    @PostConstruct
    void start() {
        Map<String, Object> properties = new HashMap<>(kafkaConfig);
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ca-signer-issuance-results");
        // Answers go out at once (Kafka 4 lingers 5 ms by default); batches still form under load.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(properties, new StringSerializer(), new ObjectMapperSerializer<>(objectMapper));
        resends = newResendScheduler();
    }

    private static ScheduledExecutorService newResendScheduler() {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "issuance-result-resends");
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        open = false;
        resends.shutdownNow();
        producer.close(Duration.ofSeconds(10));
    }

    /** Completes once the broker has acknowledged the answer; the record carries the current trace context. */
    public CompletableFuture<Void> publish(String requester, IssuanceResult result) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        ProducerRecord<String, IssuanceResult> record =
                new ProducerRecord<>(Topics.ISSUANCE_RESULTS, requester, result);
        tracing.inject(record.headers());
        send(record, acknowledged, FIRST_BACKOFF_MILLIS);
        return acknowledged;
    }

    private void send(ProducerRecord<String, IssuanceResult> record, CompletableFuture<Void> acknowledged,
            long backoffMillis) {
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    acknowledged.complete(null);
                } else {
                    failed(record, acknowledged, backoffMillis, failure);
                }
            });
        } catch (RuntimeException e) {
            // send throws rather than calls back when it cannot even queue the record (no metadata within max.block.ms).
            failed(record, acknowledged, backoffMillis, e);
        }
    }

    private void failed(ProducerRecord<String, IssuanceResult> record, CompletableFuture<Void> acknowledged,
            long backoffMillis, Exception failure) {
        if (!(failure instanceof RetriableException) || !open) {
            acknowledged.completeExceptionally(failure);
            return;
        }
        LOG.warnf("the answer to request %s was not taken by the broker (%s); sending it again in %d ms",
                record.value().requestId(), failure.getMessage(), backoffMillis);
        try {
            resends.schedule(() -> send(record, acknowledged, Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS)),
                    backoffMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException shuttingDown) {
            acknowledged.completeExceptionally(failure);
        }
    }
}
