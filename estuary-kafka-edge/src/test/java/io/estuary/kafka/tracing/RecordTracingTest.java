package io.estuary.kafka.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

class RecordTracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_ID = "00f067aa0ba902b7";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final RecordTracing tracing = new RecordTracing(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build().get("test"));

    @Test
    void aConsumerSpanIsAChildOfTheRecordsTraceparent() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + TRACE_ID + "-" + PARENT_ID + "-01").getBytes(StandardCharsets.UTF_8));

        tracing.startConsumerSpan("handle", tracing.parent(headers)).end();

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertEquals(1, spans.size());
        assertEquals(TRACE_ID, spans.get(0).getTraceId());
        assertEquals(PARENT_ID, spans.get(0).getParentSpanId());
    }

    @Test
    void theCurrentContextIsWrittenIntoTheHeadersAndReadBack() {
        Span span = tracing.startSpan("publish");
        RecordHeaders headers = new RecordHeaders();
        try (Scope scope = span.makeCurrent()) {
            tracing.inject(headers);
        } finally {
            span.end();
        }
        SpanContext read = Span.fromContext(tracing.parent(headers)).getSpanContext();
        assertEquals(span.getSpanContext().getTraceId(), read.getTraceId());
        assertEquals(span.getSpanContext().getSpanId(), read.getSpanId());
    }

    @Test
    void offReadsWritesAndStartsNothing() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + TRACE_ID + "-" + PARENT_ID + "-01").getBytes(StandardCharsets.UTF_8));
        assertEquals(Context.root(), RecordTracing.OFF.parent(headers));
        assertFalse(RecordTracing.OFF.startSpan("x").getSpanContext().isValid());
        RecordHeaders written = new RecordHeaders();
        RecordTracing.OFF.inject(written);
        assertNull(written.lastHeader("traceparent"));
    }
}
