package io.estuary.signer.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The signer's own meters (docs/operations.md lists them). Tags are CA aliases, profile names and fixed reasons:
 * bounded by configuration, never a device or a serial.
 */
@ApplicationScoped
public class SignerMetrics {
    /** Buckets for a p99 that can be read from 1 ms to 10 s. */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Timer signing;
    private final Map<String, Counter> signed = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> notAfter = new ConcurrentHashMap<>();

    @Inject
    public SignerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.signing = Timer.builder("estuary.hsm.sign.duration")
                .description("time to assemble one certificate and sign it with the CA key in the HSM")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        // Alerts take rates of these: each reason exists from the start, at zero.
        failed("fault", 0);
        failed("transient", 0);
    }

    /** Runs one signing with the CA key and times it. */
    public <T> T timeSigning(Supplier<T> signingCall) {
        return signing.record(signingCall);
    }

    public void signed(String caAlias, String profile) {
        signed.computeIfAbsent(caAlias + '\0' + profile, key -> Counter.builder("estuary.certificates.signed")
                .description("certificates signed").tag("ca", caAlias).tag("profile", profile)
                .register(registry)).increment();
    }

    /** A request answered FAILED; {@code reason} is one of a fixed few words. */
    public void failed(String reason) {
        failed(reason, 1);
    }

    private void failed(String reason, int count) {
        failed.computeIfAbsent(reason, key -> Counter.builder("estuary.signer.failed")
                .description("requests answered FAILED, by reason").tag("reason", reason)
                .register(registry)).increment(count);
    }

    /** 1 while every CA key in the token is usable, else 0. */
    public void tokenAvailability(Supplier<Boolean> available) {
        // Strong references: the registry holds a gauge's object weakly, and nothing else holds these lambdas.
        Gauge.builder("estuary.token.available", available, up -> up.get() ? 1 : 0).strongReference(true)
                .description("1 while the HSM token and every CA key in it are usable").register(registry);
    }

    /** The end of a CA certificate's validity, in seconds since the epoch; a rolled CA replaces the value. */
    public void caNotAfter(String caAlias, long epochSeconds) {
        notAfter.computeIfAbsent(caAlias, alias -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("estuary.ca.certificate.not.after", value, AtomicLong::doubleValue).baseUnit("seconds")
                    .description("the notAfter of the CA certificate, in seconds since the epoch").tag("ca", alias)
                    .register(registry);
            return value;
        }).set(epochSeconds);
    }

    /** How many CSR events wait in the request topic for this signer, sampled by {@code lag}. */
    public void requestLag(Supplier<Number> lag) {
        Gauge.builder("estuary.signer.request.lag", lag, value -> value.get().doubleValue()).baseUnit("records")
                .strongReference(true)
                .description("CSR events in the request topic not yet decided by this signer").register(registry);
    }
}
