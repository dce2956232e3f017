package io.estuary.kafka.tracing;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The W3C trace context of a Kafka record (its {@code traceparent} and {@code tracestate} headers): read from the
 * records a service consumes by hand, written on those it produces by hand, and the spans of their handling. The
 * SmallRye channels carry the same headers themselves. {@link #OFF} (tracing not configured) reads and writes nothing
 * and starts no span, so the untraced path costs a field read.
 */
public final class RecordTracing {
    /** No tracing: nothing is read, written or started. */
    public static final RecordTracing OFF = new RecordTracing(null);

    private static final TextMapPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Headers> HEADERS_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return () -> java.util.Arrays.stream(headers.toArray()).map(Header::key).iterator();
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };
    private static final TextMapSetter<Headers> HEADERS_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final Tracer tracer;

    /** Traces with the tracer given. */
    public RecordTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    public boolean enabled() {
        return tracer != null;
    }

    /** The context the record's producer sent, or the root context when it sent none (or tracing is off). */
    public Context parent(Headers headers) {
        if (tracer == null || headers == null) {
            return Context.root();
        }
        return PROPAGATOR.extract(Context.root(), headers, HEADERS_GETTER);
    }

    /** Writes the current context into the headers of a record about to be sent. */
    public void inject(Headers headers) {
        if (tracer != null) {
            PROPAGATOR.inject(Context.current(), headers, HEADERS_SETTER);
        }
    }

    /**
     * Starts a consumer span, a child of {@code parent}; the caller ends it. With tracing off, the invalid span (whose
     * methods do nothing).
     */
    public Span startConsumerSpan(String name, Context parent) {
        if (tracer == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CONSUMER).startSpan();
    }

    /** Starts an internal span, a child of the current context; the caller ends it. */
    public Span startSpan(String name) {
        if (tracer == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).startSpan();
    }
}
