package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.estuary.testkit.TestCsrs;
import io.estuary.testkit.TestTls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * One enrollment is one trace across the services: the packaged services, started by the user's script with tracing
 * on and their OTLP/HTTP exporter pointed at a receiver in this test, export spans of the HTTP request (frontend), the
 * signing (signer), the audit append and the renewal tracking, all of one trace id and linked parent to child through
 * the Kafka record headers. The JSON log lines of the signing carry the trace id.
 */
class TracingEndToEndIT {
    private static final List<ReceivedSpan> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static Path root;
    private static Path state;

    /** A span as exported, with the service that exported it; ids in lower-case hex. */
    record ReceivedSpan(String service, String name, String traceId, String spanId, String parentSpanId) {
    }

    @BeforeAll
    static void startServicesWithTracing() throws Exception {
        state = LocalStack.state();
        root = LocalStack.root();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                receive(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        LocalStack.script("services-down"); // started afresh with the settings below
        LocalStack.script("services-up", Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.2S",
                "ESTUARY_LOG_JSON", "true",
                "ESTUARY_SIGNER_REQUEST_LOG_LEVEL", "DEBUG"));
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (root != null) {
            LocalStack.script("services-down");
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void anEnrollmentIsOneTraceFromTheRequestToTheAuditAndTheRenewalTracker() throws Exception {
        String password = Files.readString(state.resolve("secrets/demo-password")).strip();
        HttpClient https = HttpClient.newBuilder()
                .sslContext(TestTls.trusting(state.resolve("pki/tls-trust-anchor.pem")))
                .connectTimeout(Duration.ofSeconds(30)).build();
        String device = "e2e-traced-" + System.currentTimeMillis();
        HttpResponse<String> enrolled = https.send(HttpRequest.newBuilder(URI.create(
                "https://localhost:" + LocalStack.env("ESTUARY_EST_PORT") + "/.well-known/est/simpleenroll"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("estuary-demo:" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofString(Base64.getMimeEncoder().encodeToString(
                        TestCsrs.csr(device, TestCsrs.ecP256()))))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, enrolled.statusCode(), enrolled.body());

        // The signer's span is the one a signing leaves; its trace is the enrollment's.
        List<ReceivedSpan> trace = awaitTrace(Set.of("est-frontend", "ca-signer", "audit-service",
                "renewal-scheduler"));
        String traceId = trace.get(0).traceId();

        Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        List<ReceivedSpan> roots = trace.stream().filter(s -> s.parentSpanId().isEmpty()).toList();
        assertEquals(1, roots.size(), "one root: " + describe(trace));
        assertEquals("est-frontend", roots.get(0).service(), describe(trace));
        for (ReceivedSpan span : trace) {
            assertTrue(span.parentSpanId().isEmpty() || ids.contains(span.parentSpanId()),
                    "the parent of " + span + " is in the trace: " + describe(trace));
        }
        ReceivedSpan sign = only(trace, "ca-signer", "sign");
        assertEquals("est-frontend", serviceOf(trace, sign.parentSpanId()), "signed as the frontend's child: "
                + describe(trace));
        // The result's consumers are children of the signing; the request's audit entry of the frontend.
        List<ReceivedSpan> appends = trace.stream().filter(s -> s.name().equals("audit append")).toList();
        assertEquals(2, appends.size(), "the request and its result appended: " + describe(trace));
        assertTrue(appends.stream().anyMatch(s -> s.parentSpanId().equals(sign.spanId())), describe(trace));
        assertTrue(appends.stream().anyMatch(s -> "est-frontend".equals(serviceOf(trace, s.parentSpanId()))),
                describe(trace));
        assertTrue(trace.stream().anyMatch(s -> s.service().equals("renewal-scheduler")
                && s.parentSpanId().equals(sign.spanId())), describe(trace));

        // The signer's log line for the issue carries the trace id (JSON lines print the MDC).
        String signerLog = Files.readString(state.resolve("logs/ca-signer.log"));
        assertTrue(signerLog.lines().anyMatch(line -> line.contains(device) && line.contains(traceId)),
                "a signer log line about " + device + " carries trace id " + traceId);
    }

    /** Waits until one trace has a signing span and spans of every service named, then returns it. */
    private static List<ReceivedSpan> awaitTrace(Set<String> services) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            List<String> signed = RECEIVED.stream().filter(s -> s.name().equals("sign"))
                    .map(ReceivedSpan::traceId).distinct().toList();
            assertTrue(signed.size() <= 1, "one enrollment, one signing trace: " + signed);
            if (signed.size() == 1) {
                List<ReceivedSpan> trace = RECEIVED.stream().filter(s -> s.traceId().equals(signed.get(0))).toList();
                Set<String> seen = trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet());
                long appends = trace.stream().filter(s -> s.name().equals("audit append")).count();
                if (seen.containsAll(services) && appends >= 2) {
                    return trace;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no trace with spans of " + services + " within 3 minutes; received: "
                + describe(RECEIVED));
    }

    private static void receive(ExportTraceServiceRequest request) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = resource.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name")).map(KeyValue::getValue)
                    .map(v -> v.getStringValue()).findFirst().orElse("");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    RECEIVED.add(new ReceivedSpan(service, span.getName(), hex(span.getTraceId().toByteArray()),
                            hex(span.getSpanId().toByteArray()), hex(span.getParentSpanId().toByteArray())));
                }
            }
        }
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String service, String name) {
        List<ReceivedSpan> found = trace.stream().filter(s -> s.service().equals(service) && s.name().equals(name))
                .toList();
        assertEquals(1, found.size(), service + " " + name + ": " + describe(trace));
        return found.get(0);
    }

    private static String serviceOf(List<ReceivedSpan> trace, String spanId) {
        return trace.stream().filter(s -> s.spanId().equals(spanId)).map(ReceivedSpan::service).findFirst()
                .orElse(null);
    }

    private static String describe(List<ReceivedSpan> spans) {
        List<String> lines = new ArrayList<>();
        for (ReceivedSpan span : spans) {
            lines.add(span.service() + " '" + span.name() + "' " + span.traceId() + "/" + span.spanId() + " <- "
                    + span.parentSpanId());
        }
        return "\n" + String.join("\n", new TreeSet<>(lines));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
