package io.estuary.audit.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.Start;
import io.estuary.kafka.follower.TopicFollower;
import io.estuary.kafka.tracing.RecordTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * A backlog of many cycles: read in bounded cycles, in timestamp order, with the topic that runs ahead paused, so
 * memory stays bounded however far behind the reader is (it once read a whole backlog at once and ran out of heap).
 */
class AuditTopicReaderTest {
    private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final int EVENTS = 3000;
    private static final TopicPartition REQUESTS = new TopicPartition(Topics.CSR_REQUESTS, 0);
    private static final TopicPartition RESULTS = new TopicPartition(Topics.ISSUANCE_RESULTS, 0);

    @Test
    void aBacklogIsChainedInBoundedCyclesInTimestampOrder() throws Exception {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        Map<TopicPartition, Long> beginning = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        for (Topics.Definition topic : Topics.ALL) {
            List<PartitionInfo> infos = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                infos.add(new PartitionInfo(topic.name(), p, Node.noNode(), new Node[0], new Node[0]));
                beginning.put(new TopicPartition(topic.name(), p), 0L);
                end.put(new TopicPartition(topic.name(), p), 0L);
            }
            consumer.updatePartitions(topic.name(), infos);
        }
        end.put(REQUESTS, (long) EVENTS);
        end.put(RESULTS, (long) EVENTS);
        consumer.updateBeginningOffsets(beginning);
        consumer.updateEndOffsets(end);
        // One event a minute on each topic. Requests arrive twice as fast per fetch as results (they are smaller), so
        // without pausing, the requests topic would run hours ahead and wait in memory for the results to catch up.
        long[] next = new long[2];
        feed(consumer, next);

        List<AuditEntry> chained = new CopyOnWriteArrayList<>();
        AtomicInteger largestBuffer = new AtomicInteger();
        AtomicInteger cycles = new AtomicInteger();
        List<String> horizonsNotBehind = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        // As the replay reads: towards the ends of the start, from the beginning.
        AuditTopicReader reader = new AuditTopicReader(Clock.fixed(T0.plus(Duration.ofDays(3)), ZoneOffset.UTC), 150,
                SETTLE, false, (cycle, horizon) -> {
                    if (done.isDone()) {
                        return;
                    }
                    largestBuffer.accumulateAndGet(cycle.buffer().size(), Math::max);
                    cycles.incrementAndGet();
                    if (cycle.reachedEnds()) {
                        chained.addAll(cycle.buffer().releaseAll());
                        done.complete(null);
                    } else {
                        if (!horizon.isBefore(cycle.ends().at())) {
                            horizonsNotBehind.add(horizon.toString());
                        }
                        chained.addAll(cycle.buffer().releaseUpTo(horizon.minus(SETTLE)));
                    }
                });
        try (TopicFollower follower = new TopicFollower("audit-topic-reader-test", () -> consumer,
                AuditTopicReader.subscription(Start.beginning(), Duration.ofMillis(1)), reader, Duration.ofMillis(100),
                Duration.ofMillis(100))) {
            follower.start();
            done.get(2, TimeUnit.MINUTES);
        }
        assertEquals(List.of(), horizonsNotBehind, "a reader behind has a horizon in the past");
        assertEquals(2 * EVENTS, chained.size());
        for (int i = 1; i < chained.size(); i++) {
            assertFalse(chained.get(i).source().compareTo(chained.get(i - 1).source()) < 0, "chain order at " + i);
        }
        assertTrue(cycles.get() > 5, "many cycles, not one: " + cycles);
        assertTrue(largestBuffer.get() < 700,
                "the buffer stays bounded: it held " + largestBuffer + " of " + 2 * EVENTS);
    }

    /** An event whose record carries a traceparent is appended in a span that is a child of the producer's. */
    @Test
    void anEventIsAppendedInASpanOfTheTraceItsRecordCarries() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String producerSpanId = "00f067aa0ba902b7";
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        Map<TopicPartition, Long> beginning = new HashMap<>();
        for (Topics.Definition topic : Topics.ALL) {
            List<PartitionInfo> infos = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                infos.add(new PartitionInfo(topic.name(), p, Node.noNode(), new Node[0], new Node[0]));
                beginning.put(new TopicPartition(topic.name(), p), 0L);
            }
            consumer.updatePartitions(topic.name(), infos);
        }
        Map<TopicPartition, Long> end = new HashMap<>(beginning);
        end.put(REQUESTS, 2L);
        consumer.updateBeginningOffsets(beginning);
        consumer.updateEndOffsets(end);
        consumer.schedulePollTask(() -> {
            RecordHeaders traced = new RecordHeaders();
            traced.add("traceparent",
                    ("00-" + traceId + "-" + producerSpanId + "-01").getBytes(StandardCharsets.UTF_8));
            addRequest(consumer, 0, traced);
            addRequest(consumer, 1, new RecordHeaders());
        });

        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        RecordTracing tracing = new RecordTracing(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build().get("test"));
        List<AuditEntry> chained = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AuditTopicReader reader = new AuditTopicReader(Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC), 150,
                SETTLE, false, (cycle, horizon) -> {
                    if (done.isDone() || !cycle.reachedEnds()) {
                        return;
                    }
                    List<AuditEntry> released = cycle.buffer().releaseAll();
                    List<Span> spans = cycle.startAppendSpans(released);
                    chained.addAll(released);
                    spans.forEach(Span::end);
                    done.complete(null);
                }, tracing);
        try (TopicFollower follower = new TopicFollower("audit-topic-reader-test", () -> consumer,
                AuditTopicReader.subscription(Start.beginning(), Duration.ofMillis(1)), reader, Duration.ofMillis(100),
                Duration.ofMillis(100))) {
            follower.start();
            done.get(2, TimeUnit.MINUTES);
        }

        assertEquals(2, chained.size());
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertEquals(1, spans.size(), "one span, for the one traced record: " + spans);
        assertEquals("audit append", spans.get(0).getName());
        assertEquals(traceId, spans.get(0).getTraceId());
        assertEquals(producerSpanId, spans.get(0).getParentSpanId());
    }

    private static void addRequest(MockConsumer<byte[], byte[]> consumer, long offset, RecordHeaders headers) {
        Instant at = T0.plus(Duration.ofMinutes(offset));
        String value = "{\"submittedAt\":\"" + at + "\",\"requestId\":\"t" + offset + "\",\"requester\":\"u\","
                + "\"label\":\"\"}";
        consumer.addRecord(new ConsumerRecord<>(REQUESTS.topic(), REQUESTS.partition(), offset, at.toEpochMilli(),
                TimestampType.CREATE_TIME, -1, -1, "u".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty()));
    }

    /** Each poll, like a fetch, brings up to 200 requests and 100 results, nothing for a paused partition. */
    private static void feed(MockConsumer<byte[], byte[]> consumer, long[] next) {
        consumer.schedulePollTask(() -> {
            add(consumer, REQUESTS, next, 0, 200);
            add(consumer, RESULTS, next, 1, 100);
            feed(consumer, next);
        });
    }

    private static void add(MockConsumer<byte[], byte[]> consumer, TopicPartition partition, long[] next, int index,
            int count) {
        if (consumer.paused().contains(partition)) {
            return;
        }
        for (int i = 0; i < count && next[index] < EVENTS; i++) {
            long offset = next[index]++;
            Instant at = T0.plus(Duration.ofMinutes(offset));
            String value = partition.equals(REQUESTS)
                    ? "{\"submittedAt\":\"" + at + "\",\"requestId\":\"q" + offset + "\",\"requester\":\"u\","
                            + "\"label\":\"\"}"
                    : "{\"requestId\":\"q" + offset + "\",\"requester\":\"u\",\"label\":\"\",\"outcome\":\"REJECTED\","
                            + "\"reason\":\"bad\",\"decidedAt\":\"" + at + "\"}";
            consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, at.toEpochMilli(),
                    TimestampType.CREATE_TIME, -1, -1, "u".getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty()));
        }
    }

    @Test
    void everyTopicIsAuditedButTheCrlsAndTheWarmUp() {
        List<String> audited = AuditTopicReader.subscription(Start.beginning(), Duration.ofMillis(1)).topics();
        assertFalse(audited.contains(Topics.WARM_UP), "the services' warm-up records: nothing happened");
        assertFalse(audited.contains(Topics.CRLS), "derived from the revocations");
        assertTrue(audited.containsAll(List.of(Topics.CSR_REQUESTS, Topics.ISSUANCE_RESULTS, Topics.AUTH_FAILURES,
                Topics.RENEWAL_EVENTS, Topics.CA_CHAINS, Topics.REVOCATIONS)));
        assertEquals(Topics.ALL.size() - 2, audited.size());
    }
}
