package io.estuary.kafka.results;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.Assignment;
import io.estuary.kafka.follower.KafkaSettings;
import io.estuary.kafka.follower.RecordHandler;
import io.estuary.kafka.follower.Start;
import io.estuary.kafka.follower.Subscription;
import io.estuary.kafka.follower.TopicFollower;

/**
 * Every issuance result of the last {@code window}, by request id, read from all partitions of the results topic
 * (committed records only) without a consumer group: each instance needs all of them. It starts {@code window} in
 * the past, so a restarted instance still knows what was decided for a request a client may retry.
 * <p>
 * Only where each result lies in the topic is kept, not the result: at a thousand enrollments a second a 15-minute
 * window is close to a million results, which would not fit in a service's heap with their certificates, while their
 * positions do, in a {@link PositionIndex} of primitive arrays that the garbage collector never copies. The latest
 * results (a bounded number, {@code held}) are kept whole too, so that a retry soon after its request, the usual kind,
 * is answered from memory ({@link #findHeld}) at no more cost than a fresh request; an older hit reads its result back
 * from the topic. {@link #knows} answers without that read, for callers that must not block.
 * <p>
 * A {@link RecordHandler}: a {@link TopicFollower} on its {@link #subscription()} feeds it, and after a failure starts
 * it again from {@code window} in the past, which the positions held already survive (the first position kept).
 */
public final class RecentIssuanceResults implements RecordHandler, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RecentIssuanceResults.class);

    private final KafkaSettings kafka;
    private final Duration window;
    private final ObjectMapper json;
    private final Consumer<IssuanceResult> listener;
    private final Clock clock;
    private final PositionIndex positions;
    private final LatestRecords latest;
    /** Results this instance produced, until they are read back from the topic (a handful: those in flight). */
    private final Map<String, Produced> produced = new ConcurrentHashMap<>();
    private volatile boolean positioned;
    private volatile boolean caughtUp;
    private Map<TopicPartition, Long> endAtStart = Map.of();
    private final AtomicLong catchUpsAsked = new AtomicLong();
    private volatile long catchUpsMet;
    /** On the reading thread: the ask being met and the end offsets read for it (null when none is). */
    private long catchUpTarget;
    private Map<TopicPartition, Long> catchUpEnd;
    private Instant lastEviction = Instant.EPOCH;
    private KafkaConsumer<byte[], byte[]> lookup;

    /** A result produced here, not yet read back. */
    private record Produced(IssuanceResult result, long seenAtMillis) {
    }

    // One digest per thread: looking the algorithm up for every key cost more than hashing.
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** 64 bits of the request id's SHA-256: a lookup compares the full id of what it reads back. */
    private static long keyOf(String requestId) {
        return ByteBuffer.wrap(SHA256.get().digest(requestId.getBytes(StandardCharsets.UTF_8))).getLong();
    }

    /**
     * @param listener called on the reading thread for every result read, after it is recorded
     * @param held how many of the latest results are kept whole, to answer retries without reading them back
     */
    public RecentIssuanceResults(KafkaSettings kafka, Duration window, ObjectMapper json,
            Consumer<IssuanceResult> listener, int held) {
        this.kafka = kafka;
        this.window = window;
        this.json = json;
        this.listener = listener;
        this.clock = Clock.systemUTC();
        this.positions = new PositionIndex(window.toMillis());
        this.latest = new LatestRecords(held);
    }

    /**
     * For a reader that needs only to know what was decided (the signer): each result's request id is read, not the
     * whole result, and fetches wait for fuller batches, since nobody waits on this reader's latency.
     */
    public RecentIssuanceResults(KafkaSettings kafka, Duration window, ObjectMapper json) {
        this(kafka, window, json, null, 0);
    }

    /** The results topic, committed records only, from {@code window} before each start of the follower. */
    public Subscription subscription() {
        Map<String, String> properties = new HashMap<>();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (listener == null) {
            properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536");
            properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        }
        return new Subscription(List.of(Topics.ISSUANCE_RESULTS), Start.since(() -> clock.instant().minus(window)),
                properties, Duration.ofMillis(200));
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

    /**
     * Asks the reader to read everything published until now, and returns the ask for {@link #caughtUpWith}. A
     * signer that took over partitions of the request topic asks this: another signer may have answered their
     * requests just before, and the reader, which fetches in batches, need not have read that answer yet.
     */
    public long askToCatchUp() {
        return catchUpsAsked.incrementAndGet();
    }

    /** Whether everything published before the ask was made has been read. */
    public boolean caughtUpWith(long ask) {
        return catchUpsMet >= ask;
    }

    /** Whether a result for the request was seen within the window; never blocks. */
    public boolean knows(String requestId) {
        return positions.find(keyOf(requestId), clock.millis()) != null || liveProduced(requestId) != null;
    }

    /**
     * The result decided for the request within the window, if any. A known result is read back from the topic, so
     * this may block for a broker round trip: call it off event loops.
     */
    public Optional<IssuanceResult> find(String requestId) {
        // The first answer in the topic is the one every instance gives; one produced here counts until then.
        long key = keyOf(requestId);
        PositionIndex.Position position = positions.find(key, clock.millis());
        if (position != null) {
            IssuanceResult result = heldResult(key, requestId);
            if (result == null) {
                result = readBack(position);
            }
            if (result != null && requestId.equals(result.requestId())) {
                return Optional.of(result);
            }
        }
        Produced mine = liveProduced(requestId);
        return mine == null ? Optional.empty() : Optional.of(mine.result());
    }

    /**
     * The result decided for the request within the window if it is held in memory (one of the latest results, or
     * one produced here); never blocks. Empty does not mean unknown: {@link #find} may still read it back.
     */
    public Optional<IssuanceResult> findHeld(String requestId) {
        long key = keyOf(requestId);
        if (positions.find(key, clock.millis()) != null) {
            IssuanceResult result = heldResult(key, requestId);
            if (result != null) {
                return Optional.of(result);
            }
        }
        Produced mine = liveProduced(requestId);
        return mine == null ? Optional.empty() : Optional.of(mine.result());
    }

    /** The first result in the topic for the request, if it is among the latest held; null otherwise. */
    private IssuanceResult heldResult(long key, String requestId) {
        byte[] record = latest.get(key);
        if (record == null) {
            return null;
        }
        IssuanceResult result = parse(record);
        return result != null && requestId.equals(result.requestId()) ? result : null;
    }

    /** Records a result this instance produced itself, before it comes back from the topic. */
    public void record(IssuanceResult result) {
        if (!result.answersRetries()) {
            return;
        }
        produced.putIfAbsent(result.requestId(), new Produced(result, clock.millis()));
    }

    /** How many results are held in memory rather than as a position (produced here, not yet read back). */
    public long resultsHeld() {
        return produced.size();
    }

    /** How many of the latest results are held whole to answer retries (at most {@code held}). */
    public int latestHeld() {
        return latest.size();
    }

    private Produced liveProduced(String requestId) {
        Produced mine = produced.get(requestId);
        return mine == null || mine.seenAtMillis() < clock.millis() - window.toMillis() ? null : mine;
    }

    private synchronized IssuanceResult readBack(PositionIndex.Position entry) {
        TopicPartition partition = new TopicPartition(Topics.ISSUANCE_RESULTS, entry.partition());
        if (lookup == null) {
            lookup = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        lookup.assign(List.of(partition));
        lookup.seek(partition, entry.offset());
        Instant deadline = clock.instant().plusSeconds(10);
        while (clock.instant().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : lookup.poll(Duration.ofMillis(200))) {
                if (record.offset() == entry.offset()) {
                    return parse(record);
                }
            }
        }
        throw new IllegalStateException("the issuance result at " + partition + "@" + entry.offset()
                + " could not be read back within 10 s");
    }

    /** Closes the consumer that reads results back; the follower is closed on its own. */
    @Override
    public void close() {
        synchronized (this) {
            if (lookup != null) {
                lookup.close(Duration.ofSeconds(1));
                lookup = null;
            }
        }
    }

    private Properties consumerProperties() {
        Properties properties = kafka.consumerProperties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    @Override
    public void started(Assignment assignment) {
        endAtStart = assignment.endOffsets();
        positioned = true;
        LOG.infof("reading issuance results on %d partitions from %s ago", assignment.partitions().size(), window);
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records, Assignment assignment) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handle(record);
        }
        if (!caughtUp) {
            caughtUp = reached(endAtStart, assignment);
        }
        meetCatchUps(assignment);
        evictExpired();
    }

    /**
     * The end offsets are read after the ask was made, so once the position reaches them every result published
     * before the ask has been read. A later ask while one is being met reads them again.
     */
    private void meetCatchUps(Assignment assignment) {
        long asked = catchUpsAsked.get();
        if (asked <= catchUpsMet) {
            return;
        }
        if (catchUpEnd == null || asked > catchUpTarget) {
            catchUpTarget = asked;
            catchUpEnd = assignment.endOffsets();
        }
        if (reached(catchUpEnd, assignment)) {
            catchUpsMet = catchUpTarget;
            catchUpEnd = null;
        }
    }

    /** read_committed: the end offsets are the last stable offsets, which the position reaches. */
    private static boolean reached(Map<TopicPartition, Long> end, Assignment assignment) {
        return assignment.partitions().stream().allMatch(p -> assignment.position(p) >= end.get(p));
    }

    /** Until the follower has started again and caught up, results published meanwhile may be unknown. */
    @Override
    public void stopped() {
        positioned = false;
        caughtUp = false;
        catchUpEnd = null; // read again from the next consumer
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        IssuanceResult result = listener == null ? null : parse(record);
        String requestId = listener == null ? decidedRequestIdOf(record)
                : result == null || !result.answersRetries() ? null : result.requestId();
        if (requestId != null) {
            // The first answer in the topic that answers retries (a decision or a deterministic failure) is the one
            // every instance gives again; one produced here leaves the heap once read back, its position taking its
            // place. Any other failure is not kept: a retry is signed anew.
            long key = keyOf(requestId);
            if (positions.putIfAbsent(key, record.partition(), record.offset(), record.timestamp())) {
                latest.put(key, record.value());
            }
            produced.remove(requestId);
        }
        if (listener != null && result != null) {
            listener.accept(result);
        }
    }

    /**
     * The request id of a result that answers retries, null for any other failure or an unreadable record: the first
     * fields of an issuance or rejection only, so the certificate after them is never read (a failure, which has no
     * certificate, is read on to its {@code deterministic} flag).
     */
    private String decidedRequestIdOf(ConsumerRecord<byte[], byte[]> record) {
        String requestId = null;
        String outcome = null;
        boolean deterministic = false;
        try (JsonParser parser = json.getFactory().createParser(record.value())) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while ((requestId == null || outcome == null
                        || IssuanceResult.Outcome.FAILED.name().equals(outcome) && !deterministic)
                        && parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("requestId".equals(field) && value == JsonToken.VALUE_STRING) {
                        requestId = parser.getText();
                    } else if ("outcome".equals(field) && value == JsonToken.VALUE_STRING) {
                        outcome = parser.getText();
                    } else if ("deterministic".equals(field) && value == JsonToken.VALUE_TRUE) {
                        deterministic = true;
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            requestId = null; // as unreadable as a result that does not parse
        }
        if (requestId == null || outcome == null) {
            LOG.warnf("skipped an unreadable issuance result at %s-%d@%d", record.topic(), record.partition(),
                    record.offset());
            return null;
        }
        return IssuanceResult.Outcome.FAILED.name().equals(outcome) && !deterministic ? null : requestId;
    }

    private IssuanceResult parse(ConsumerRecord<byte[], byte[]> record) {
        IssuanceResult result = parse(record.value());
        if (result == null) {
            LOG.warnf("skipped an unreadable issuance result at %s-%d@%d", record.topic(), record.partition(),
                    record.offset());
        }
        return result;
    }

    private IssuanceResult parse(byte[] value) {
        try {
            return json.readValue(value, IssuanceResult.class);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private void evictExpired() {
        Instant now = clock.instant();
        if (lastEviction.isAfter(now.minusSeconds(30))) {
            return;
        }
        lastEviction = now;
        long cutoff = now.minus(window).toEpochMilli();
        positions.evictBefore(now.toEpochMilli());
        produced.values().removeIf(mine -> mine.seenAtMillis() < cutoff);
    }
}
