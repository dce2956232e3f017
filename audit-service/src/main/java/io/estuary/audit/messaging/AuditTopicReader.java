package io.estuary.audit.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.estuary.audit.service.SourcePosition;
import io.estuary.contracts.Topics;

/**
 * Reads every partition of every audited topic into a {@link ChainOrderBuffer}. One consumer assigned all partitions
 * (no group rebalancing): the chain order needs to see all of them. Shared by the live consumer and the replay, so
 * both read and order events the same way.
 */
final class AuditTopicReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditTopicReader.class);

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final ChainOrderBuffer buffer = new ChainOrderBuffer();
    private final AuditEventReader eventReader = new AuditEventReader();
    private final Clock clock;
    private final Duration pollTimeout;
    private final boolean commits;

    /** With a group id, offsets are read from and committed to that group; without, it reads from the beginning. */
    AuditTopicReader(String bootstrapServers, String groupId, Duration pollTimeout, Clock clock) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Events are chained seconds after they happen (the settle time): fuller fetches cost the broker fewer
        // requests under load than one per handful of events.
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
        if (groupId != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        this.commits = groupId != null;
        this.pollTimeout = pollTimeout;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        for (Topics.Definition topic : Topics.ALL) {
            consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        if (!commits) {
            consumer.seekToBeginning(partitions);
        }
    }

    /**
     * Reads until every partition is at least at the end it had when this call started; returns that moment. Every
     * event appended to the broker before it has then been read.
     */
    Instant readToEnd(BooleanSupplier keepRunning) {
        Instant snapshot = clock.instant();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        do {
            for (ConsumerRecord<String, String> record : consumer.poll(pollTimeout)) {
                SourcePosition source = new SourcePosition(Instant.ofEpochMilli(record.timestamp()), record.topic(),
                        record.partition(), record.offset());
                try {
                    buffer.add(eventReader.read(source, record.value()));
                } catch (MalformedEventException e) {
                    // Skipped for good: the same bytes would fail again, in a replay too.
                    LOG.warnf("skipped the event at %s: %s", source, e.getMessage());
                }
            }
        } while (keepRunning.getAsBoolean() && !reached(ends));
        return snapshot;
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < ends.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }

    ChainOrderBuffer buffer() {
        return buffer;
    }

    /** Commits, per partition, the first offset not yet chained: a restart resumes there and loses nothing. */
    void commitChained() {
        if (!commits) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long next = buffer.firstPendingOffset(partition.topic(), partition.partition())
                    .orElse(consumer.position(partition));
            offsets.put(partition, new OffsetAndMetadata(next));
        }
        consumer.commitSync(offsets);
    }

    /** Interrupts a poll in progress from another thread. */
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
