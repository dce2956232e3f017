package io.estuary.results;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;

/**
 * Every issuance result of the last {@code window}, by request id, read from all partitions of the results topic
 * (committed records only) without a consumer group: each instance needs all of them. It starts {@code window} in
 * the past, so a restarted instance still knows what was decided for a request a client may retry.
 */
public final class RecentIssuanceResults implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RecentIssuanceResults.class);

    private final String bootstrapServers;
    private final Duration window;
    private final ObjectMapper json;
    private final Consumer<IssuanceResult> listener;
    private final Clock clock;
    private final Map<String, Entry> byRequestId = new ConcurrentHashMap<>();
    private volatile boolean positioned;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private Instant lastEviction = Instant.EPOCH;

    private record Entry(IssuanceResult result, Instant seenAt) {
    }

    /**
     * @param listener called on the reading thread for every result read, after it is recorded
     */
    public RecentIssuanceResults(String bootstrapServers, Duration window, ObjectMapper json,
            Consumer<IssuanceResult> listener) {
        this.bootstrapServers = bootstrapServers;
        this.window = window;
        this.json = json;
        this.listener = listener;
        this.clock = Clock.systemUTC();
    }

    public synchronized void start(String name) {
        if (thread == null) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** True once the reader is assigned and positioned; results published from then on are seen. */
    public boolean positioned() {
        return positioned;
    }

    /**
     * True once everything published up to the reader's start has been read: from then on {@link #find} knows every
     * result of the window. A signer must not sign before this, or it could sign a retried request again.
     */
    public boolean caughtUp() {
        return caughtUp;
    }

    public Optional<IssuanceResult> find(String requestId) {
        Entry entry = byRequestId.get(requestId);
        if (entry == null || entry.seenAt.isBefore(clock.instant().minus(window))) {
            return Optional.empty();
        }
        return Optional.of(entry.result);
    }

    /** Records a result this instance produced itself, before it comes back from the topic. */
    public void record(IssuanceResult result) {
        byRequestId.put(result.requestId(), new Entry(result, clock.instant()));
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private void run() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = waitForPartitions(kafka);
            kafka.assign(partitions);
            long since = clock.instant().minus(window).toEpochMilli();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since));
            Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(query, Duration.ofSeconds(30));
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = offsets.get(partition);
                if (offset == null) {
                    kafka.seekToEnd(List.of(partition));
                } else {
                    kafka.seek(partition, offset.offset());
                }
                kafka.position(partition);
            }
            Map<TopicPartition, Long> endAtStart = kafka.endOffsets(partitions, Duration.ofSeconds(30));
            positioned = true;
            LOG.infof("reading issuance results on %d partitions from %s ago", partitions.size(), window);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
                if (!caughtUp) {
                    // read_committed: the end offsets are the last stable offsets, which the position reaches.
                    caughtUp = partitions.stream().allMatch(p -> kafka.position(p) >= endAtStart.get(p));
                }
                evictExpired();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("issuance result reader stopped", e);
        } finally {
            positioned = false;
            caughtUp = false;
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
        IssuanceResult result;
        try {
            result = json.readValue(record.value(), IssuanceResult.class);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("skipped an unreadable issuance result at %s-%d@%d", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (result.requestId() == null) {
            return;
        }
        byRequestId.putIfAbsent(result.requestId(), new Entry(result, Instant.ofEpochMilli(record.timestamp())));
        listener.accept(result);
    }

    private void evictExpired() {
        Instant now = clock.instant();
        if (lastEviction.isAfter(now.minusSeconds(30))) {
            return;
        }
        lastEviction = now;
        Instant cutoff = now.minus(window);
        byRequestId.values().removeIf(entry -> entry.seenAt.isBefore(cutoff));
    }
}
