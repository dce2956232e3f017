package io.estuary.frontend.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.estuary.frontend.domain.DefaultLabel;
import io.estuary.pki.policy.EstLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The frontend's own meters (docs/operations.md lists them). Every tag value comes from a closed set: configured
 * labels (any other is {@code unknown}), the RFC 7030 operations, outcomes named from the status, and the refusal
 * reasons the exception mappers name. Never a device, a serial or an address.
 */
@ApplicationScoped
@Startup
public class EnrollmentMetrics {
    /** Where the exception mappers leave the reason of a refusal for the request's meter. */
    public static final String REFUSAL = "estuary.metrics.refusal";

    /** Buckets for a p99 that can be read from 1 ms to 60 s (a request waits for the signer up to its wait). */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final EstLabels labels;
    private final Map<String, Counter> enrollments = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
    private final Map<String, Timer> roundTrips = new ConcurrentHashMap<>();

    @Inject
    public EnrollmentMetrics(MeterRegistry registry, EstLabels labels, PendingEnrollments pending) {
        this.registry = registry;
        this.labels = labels;
        Gauge.builder("estuary.signer.waiting.requests", pending, PendingEnrollments::size).strongReference(true)
                .description("requests this frontend published and still waits on the signer for")
                .register(registry);
        // Alerts take rates of these: each method exists from the start, at zero.
        for (String method : new String[] {"basic", "certificate", "other"}) {
            authFailureCounter(method);
        }
    }

    /**
     * One answered EST request: {@code label} as the path names it ({@code ""} for the unlabelled path),
     * {@code operation} the path's last segment, the status sent and the refusal reason a mapper named, or null.
     */
    public void answered(String label, String operation, int status, String refusal, long nanos) {
        String labelTag = labels.profileFor(label).isPresent() ? DefaultLabel.nameOf(label) : "unknown";
        String operationTag = switch (operation) {
            case "cacerts", "simpleenroll", "simplereenroll", "serverkeygen", "csrattrs", "fullcmc" -> operation;
            default -> "other";
        };
        String outcome = outcome(operationTag, status);
        String reason = refusal == null ? "none" : refusal;
        enrollments.computeIfAbsent(labelTag + '\0' + operationTag + '\0' + outcome + '\0' + reason,
                key -> Counter.builder("estuary.enrollments")
                        .description("EST requests answered, by label, operation, outcome and refusal reason")
                        .tag("label", labelTag).tag("operation", operationTag).tag("outcome", outcome)
                        .tag("reason", reason).register(registry))
                .increment();
        durations.computeIfAbsent(operationTag, key -> Timer.builder("estuary.enrollment.duration")
                        .description("time from the request's arrival to the end of its answer")
                        .tag("operation", operationTag).serviceLevelObjectives(BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A failed authentication; {@code method} is {@code certificate}, {@code basic} or {@code other}. */
    public void authenticationFailed(String method) {
        authFailureCounter(method).increment();
    }

    private Counter authFailureCounter(String method) {
        return authFailures.computeIfAbsent(method, key -> Counter.builder("estuary.auth.failures")
                .description("failed authentications on the EST paths, by method").tag("method", method)
                .register(registry));
    }

    /** One signer round trip (publish, then wait): {@code answered}, {@code silent} (the wait ended) or {@code unreachable}. */
    public void signerRoundTrip(String result, long nanos) {
        roundTrips.computeIfAbsent(result, key -> Timer.builder("estuary.signer.round.trip")
                        .description("time from publishing a CSR event to the signer's answer, or the end of the wait")
                        .tag("result", result).serviceLevelObjectives(BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String outcome(String operation, int status) {
        return switch (status) {
            case 200, 204 -> switch (operation) {
                case "simpleenroll", "simplereenroll", "serverkeygen" -> "issued";
                default -> "served";
            };
            case 202 -> "pending";
            case 400, 413, 415 -> "rejected";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "unknown_label";
            case 429 -> "throttled";
            case 500 -> "failed";
            case 501 -> "not_supported";
            case 503 -> "unavailable";
            default -> "other";
        };
    }
}
