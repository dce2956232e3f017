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

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.estuary.audit.domain.SourcePosition;
import io.estuary.contracts.Topics;

/**
 * Reads every partition of every audited topic into a {@link ChainOrderBuffer}. One consumer assigned all partitions
 * (no group rebalancing): the chain order needs to see all of them. Shared by the live consumer and the replay, so
 * both read and order events the same way.
 */
final class AuditTopicReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditTopicReader.class);

    private final Consumer<String, String> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final ChainOrderBuffer buffer = new ChainOrderBuffer();
    /** Per partition, the latest record timestamp read. */
    private final Map<TopicPartition, Instant> lastRead = new HashMap<>();
    private final AuditEventReader eventReader = new AuditEventReader();
    private final Clock clock;
    private final Duration pollTimeout;
    private final boolean commits;

    /** With a group id, offsets are read from and committed to that group; without, it reads from the beginning. */
    AuditTopicReader(String bootstrapServers, String groupId, Duration pollTimeout, Clock clock) {
        this(new KafkaConsumer<>(properties(bootstrapServers, groupId), new StringDeserializer(),
                new StringDeserializer()), groupId != null, pollTimeout, clock);
    }

    /** Over a given consumer (a test's mock); {@code commits} as with a group id. */
    AuditTopicReader(Consumer<String, String> consumer, boolean commits, Duration pollTimeout, Clock clock) {
        this.commits = commits;
        this.pollTimeout = pollTimeout;
        this.clock = clock;
        this.consumer = consumer;
        for (Topics.Definition topic : Topics.ALL) {
            consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        if (!commits) {
            consumer.seekToBeginning(partitions);
        }
    }

    private static Properties properties(String bootstrapServers, String groupId) {
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
        return properties;
    }

    /** The end offset of every partition, and when it was taken. */
    record Ends(Instant at, Map<TopicPartition, Long> offsets) {
    }

    Ends ends() {
        Instant at = clock.instant();
        return new Ends(at, consumer.endOffsets(partitions));
    }

    /**
     * Reads towards {@code ends} until every partition has reached them, or {@code maxRecords} have been read; returns
     * the horizon: every event with a timestamp before it has been read, give or take the settle time (it is
     * {@code ends.at()} once every partition has reached its end, else the latest timestamp read on the partition
     * furthest behind). Memory stays bounded however far the reader lags: a cycle reads at most {@code maxRecords},
     * and a partition that has run ahead of the one furthest behind (by more than {@code slack}) is paused until that
     * one catches up, so the buffer never fills with one topic's events waiting for another's.
     */
    Instant readCycle(BooleanSupplier keepRunning, Ends ends, int maxRecords, Duration slack) {
        pauseThoseAhead(ends, slack); // against this cycle's ends: a partition paused before may be needed now
        int read = 0;
        do {
            for (ConsumerRecord<String, String> record : consumer.poll(pollTimeout)) {
                read++;
                Instant timestamp = Instant.ofEpochMilli(record.timestamp());
                lastRead.merge(new TopicPartition(record.topic(), record.partition()), timestamp,
                        (a, b) -> a.isAfter(b) ? a : b);
                SourcePosition source = new SourcePosition(timestamp, record.topic(), record.partition(),
                        record.offset());
                try {
                    buffer.add(eventReader.read(source, record.value()));
                } catch (MalformedEventException e) {
                    // Skipped for good: the same bytes would fail again, in a replay too.
                    LOG.warnf("skipped the event at %s: %s", source, e.getMessage());
                }
            }
            pauseThoseAhead(ends, slack);
        } while (keepRunning.getAsBoolean() && !reached(ends) && read < maxRecords);
        return horizon(ends);
    }

    private Instant horizon(Ends ends) {
        Instant horizon = ends.at();
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < ends.offsets().getOrDefault(partition, 0L)) {
                Instant last = lastRead.getOrDefault(partition, Instant.EPOCH);
                if (last.isBefore(horizon)) {
                    horizon = last;
                }
            }
        }
        return horizon;
    }

    /** Pauses the partitions ahead of the one furthest behind and resumes the others; that one is never paused. */
    private void pauseThoseAhead(Ends ends, Duration slack) {
        Instant behind = horizon(ends);
        List<TopicPartition> ahead = new ArrayList<>();
        if (!behind.equals(ends.at())) { // once every partition has reached its end, nobody waits for anybody
            Instant limit = behind.plus(slack);
            for (TopicPartition partition : partitions) {
                Instant last = lastRead.get(partition);
                if (last != null && last.isAfter(limit)) {
                    ahead.add(partition);
                }
            }
        }
        List<TopicPartition> resumed = new ArrayList<>(consumer.paused());
        resumed.removeAll(ahead);
        consumer.resume(resumed);
        consumer.pause(ahead);
    }

    boolean reached(Ends ends) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < ends.offsets().getOrDefault(partition, 0L)) {
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
