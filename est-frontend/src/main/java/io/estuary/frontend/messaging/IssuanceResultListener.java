package io.estuary.frontend.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.frontend.service.PendingEnrollments;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads every signer answer and completes the requests this instance is waiting on. Each frontend instance reads all
 * partitions from the end, without a consumer group: answers are for whichever instance holds the client's
 * connection, and a group would split them between instances.
 */
@ApplicationScoped
public class IssuanceResultListener {
    private static final Logger LOG = Logger.getLogger(IssuanceResultListener.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    PendingEnrollments pending;

    private volatile boolean positioned;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "issuance-result-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** True once the listener sits at the end of every partition; answers published after that are not missed. */
    public boolean positioned() {
        return positioned;
    }

    private void run() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "est-frontend-results");
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = waitForPartitions(kafka);
            kafka.assign(partitions);
            kafka.seekToEnd(partitions);
            partitions.forEach(kafka::position); // resolve the end offsets now, before declaring readiness
            positioned = true;
            LOG.infof("listening for issuance results on %d partitions", partitions.size());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("issuance result listener stopped", e);
        } finally {
            positioned = false;
        }
    }

    private List<TopicPartition> waitForPartitions(KafkaConsumer<byte[], byte[]> kafka) {
        while (running) {
            try {
                var infos = kafka.partitionsFor(Topics.ISSUANCE_RESULTS, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("topic %s not reachable yet: %s", Topics.ISSUANCE_RESULTS, e.getMessage());
            }
        }
        throw new WakeupException();
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            pending.complete(objectMapper.readValue(record.value(), IssuanceResult.class));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("skipped an unreadable issuance result at %s-%d@%d", record.topic(), record.partition(),
                    record.offset());
        }
    }
}
