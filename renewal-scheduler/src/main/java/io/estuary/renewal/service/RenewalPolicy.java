package io.estuary.renewal.service;

import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate should be renewed: after a fraction of its lifetime has passed (IoT Edge renews at 80% by
 * default). Plain Java, so it is unit-tested without Quarkus.
 */
public record RenewalPolicy(int percentOfLifetime) {
    public RenewalPolicy {
        if (percentOfLifetime < 1 || percentOfLifetime > 100) {
            throw new IllegalArgumentException("renewal percentage must be 1-100, got " + percentOfLifetime);
        }
    }

    public Instant renewalPoint(Instant notBefore, Instant notAfter) {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        Duration lifetime = Duration.between(notBefore, notAfter);
        return notBefore.plus(lifetime.multipliedBy(percentOfLifetime).dividedBy(100));
    }
}
