package io.estuary.audit.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.SourcePosition;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.Assignment;
import io.estuary.kafka.follower.RecordHandler;
import io.estuary.kafka.follower.Start;
import io.estuary.kafka.follower.Subscription;
import io.estuary.kafka.tracing.RecordTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * Reads every partition of every audited topic into a {@link ChainOrderBuffer}, as the handler of a follower that is
 * assigned all of them (the chain order needs to see all of them). Shared by the live consumer and the replay, so
 * both read and order events the same way.
 * <p>
 * It reads in cycles. A cycle reads towards {@link Ends} until every partition has reached them, or
 * {@code maxRecords} have been read, then hands {@link Cycles} the horizon: every event with a timestamp before it
 * has been read, give or take the settle time (it is {@code ends.at()} once every partition has reached its end, else
 * the latest timestamp read on the partition furthest behind). Memory stays bounded however far the reader lags: a
 * cycle reads at most {@code maxRecords}, and a partition that has run ahead of the one furthest behind (by more than
 * {@code slack}) is paused until that one catches up, so the buffer never fills with one topic's events waiting for
 * another's. At each start of its follower the buffer is dropped: what it held is read again.
 */
final class AuditTopicReader implements RecordHandler {
    private static final Logger LOG = Logger.getLogger(AuditTopicReader.class);

    /** What is done when a cycle ends, on the follower's thread: chain what the horizon allows. */
    interface Cycles {
        void ended(AuditTopicReader reader, Instant horizon) throws Exception;
    }

    private final AuditEventReader eventReader = new AuditEventReader();
    private final Clock clock;
    private final int maxRecords;
    private final Duration slack;
    private final boolean endsOfEachCycle;
    private final Cycles cycles;
    private final RecordTracing tracing;
    private volatile ChainOrderBuffer buffer = new ChainOrderBuffer();
    /** With tracing on, the trace context of each event in the buffer whose record carried one. */
    private final Map<SourcePosition, Context> traceParents = new HashMap<>();
    /** Per partition, the latest record timestamp read. */
    private final Map<TopicPartition, Instant> lastRead = new HashMap<>();
    private Assignment assignment;
    private Ends ends;
    private int readThisCycle;

    /**
     * @param endsOfEachCycle whether each cycle reads towards the ends as they are at its start (the live consumer),
     *                        or every cycle towards those of the first start (the replay: the topics as they were)
     */
    AuditTopicReader(Clock clock, int maxRecords, Duration slack, boolean endsOfEachCycle, Cycles cycles) {
        this(clock, maxRecords, slack, endsOfEachCycle, cycles, RecordTracing.OFF);
    }

    AuditTopicReader(Clock clock, int maxRecords, Duration slack, boolean endsOfEachCycle, Cycles cycles,
            RecordTracing tracing) {
        this.tracing = tracing;
        this.clock = clock;
        this.maxRecords = maxRecords;
        this.slack = slack;
        this.endsOfEachCycle = endsOfEachCycle;
        this.cycles = cycles;
    }

    /** Every audited topic, committed records only, from the start given. */
    static Subscription subscription(Start start, Duration pollTimeout) {
        // Events are chained seconds after they happen (the settle time): fuller fetches cost the broker fewer
        // requests under load than one per handful of events.
        // Not the CRLs: derived from the revocations (which are audited), and megabytes each. Not the services'
        // warm-up records: nothing happened.
        return new Subscription(Topics.ALL.stream().map(Topics.Definition::name)
                .filter(name -> !name.equals(Topics.CRLS) && !name.equals(Topics.WARM_UP)).toList(), start,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536",
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200"),
                pollTimeout);
    }

    /** The end offset of every partition, and when it was taken. */
    record Ends(Instant at, Map<TopicPartition, Long> offsets) {
    }

    @Override
    public void started(Assignment started) {
        assignment = started;
        buffer = new ChainOrderBuffer();
        traceParents.clear();
        lastRead.clear();
        if (ends == null || endsOfEachCycle) {
            ends = new Ends(clock.instant(), started.endOffsets());
        }
        readThisCycle = 0;
        pauseThoseAhead(); // against this cycle's ends: a partition paused before may be needed now
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records, Assignment current) throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            readThisCycle++;
            Instant timestamp = Instant.ofEpochMilli(record.timestamp());
            lastRead.merge(new TopicPartition(record.topic(), record.partition()), timestamp,
                    (a, b) -> a.isAfter(b) ? a : b);
            SourcePosition source = new SourcePosition(timestamp, record.topic(), record.partition(),
                    record.offset());
            try {
                buffer.add(eventReader.read(source, new String(record.value(), StandardCharsets.UTF_8)));
                if (tracing.enabled()) {
                    Context parent = tracing.parent(record.headers());
                    if (Span.fromContext(parent).getSpanContext().isValid()) {
                        traceParents.put(source, parent);
                    }
                }
            } catch (MalformedEventException e) {
                // Skipped for good: the same bytes would fail again, in a replay too.
                LOG.warnf("skipped the event at %s: %s", source, e.getMessage());
            }
        }
        pauseThoseAhead();
        if (reachedEnds() || readThisCycle >= maxRecords) {
            cycles.ended(this, horizon());
            if (endsOfEachCycle) {
                ends = new Ends(clock.instant(), current.endOffsets());
            }
            readThisCycle = 0;
            pauseThoseAhead();
        }
    }

    private Instant horizon() {
        Instant horizon = ends.at();
        for (TopicPartition partition : assignment.partitions()) {
            if (assignment.position(partition) < ends.offsets().getOrDefault(partition, 0L)) {
                Instant last = lastRead.getOrDefault(partition, Instant.EPOCH);
                if (last.isBefore(horizon)) {
                    horizon = last;
                }
            }
        }
        return horizon;
    }

    /** Pauses the partitions ahead of the one furthest behind and resumes the others; that one is never paused. */
    private void pauseThoseAhead() {
        Instant behind = horizon();
        List<TopicPartition> ahead = new ArrayList<>();
        if (!behind.equals(ends.at())) { // once every partition has reached its end, nobody waits for anybody
            Instant limit = behind.plus(slack);
            for (TopicPartition partition : assignment.partitions()) {
                Instant last = lastRead.get(partition);
                if (last != null && last.isAfter(limit)) {
                    ahead.add(partition);
                }
            }
        }
        List<TopicPartition> resumed = new ArrayList<>(assignment.paused());
        resumed.removeAll(ahead);
        assignment.resume(resumed);
        assignment.pause(ahead);
    }

    /** Whether every partition has reached the ends of the current cycle. */
    boolean reachedEnds() {
        for (TopicPartition partition : assignment.partitions()) {
            if (assignment.position(partition) < ends.offsets().getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }

    /** The ends the current cycle reads towards. */
    Ends ends() {
        return ends;
    }

    ChainOrderBuffer buffer() {
        return buffer;
    }

    /**
     * Starts a span "audit append" for each event released whose record carried a trace context, a child of it; the
     * caller ends them once the events are chained. Empty with tracing off.
     */
    List<Span> startAppendSpans(List<AuditEntry> released) {
        if (traceParents.isEmpty()) {
            return List.of();
        }
        List<Span> spans = new ArrayList<>();
        for (AuditEntry entry : released) {
            Context parent = traceParents.remove(entry.source());
            if (parent != null) {
                spans.add(tracing.startConsumerSpan("audit append", parent));
            }
        }
        return spans;
    }

    /** Commits, per partition, the first offset not yet chained: a restart resumes there and loses nothing. */
    void commitChained() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : assignment.partitions()) {
            offsets.put(partition, buffer.firstPendingOffset(partition.topic(), partition.partition())
                    .orElse(assignment.position(partition)));
        }
        assignment.commit(offsets);
    }
}
