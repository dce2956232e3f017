package io.estuary.responder.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The responder's own meters (docs/operations.md lists them). The responder certificate is short-lived and not checked
 * for revocation, so its end is watched: once it passes, every answer is tryLater.
 */
@ApplicationScoped
public class ResponderMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> notAfter = new ConcurrentHashMap<>();

    @Inject
    public ResponderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The end of the validity of the responder certificate a CA's answers are signed with; a roll replaces it. */
    public void responderNotAfter(String caAlias, long epochSeconds) {
        notAfter.computeIfAbsent(caAlias, alias -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("estuary.ocsp.responder.certificate.not.after", value, AtomicLong::doubleValue)
                    .baseUnit("seconds").tag("ca", alias)
                    .description("the notAfter of the certificate OCSP answers are signed with, in seconds since the "
                            + "epoch")
                    .register(registry);
            return value;
        }).set(epochSeconds);
    }
}
