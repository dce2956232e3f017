package io.estuary.renewal.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.estuary.renewal.domain.RenewalSchedule;

/**
 * Renewal thresholds per EST label (with a default for the others) and the grace period after the renewal point.
 * Plain Java, so it is unit-tested without Quarkus.
 */
public final class RenewalPolicy {
    private final RenewalThreshold defaultThreshold;
    private final Map<String, RenewalThreshold> thresholdsByLabel;
    private final Duration grace;

    public RenewalPolicy(RenewalThreshold defaultThreshold, Map<String, RenewalThreshold> thresholdsByLabel,
            Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace period must not be negative, got " + grace);
        }
        this.defaultThreshold = defaultThreshold;
        this.thresholdsByLabel = Map.copyOf(thresholdsByLabel);
        this.grace = grace;
    }

    /** From configuration text: thresholds in IoT Edge notation; a bad value fails start-up with its reason. */
    public static RenewalPolicy of(String defaultThreshold, Map<String, String> thresholdsByLabel, Duration grace) {
        Map<String, RenewalThreshold> parsed = new java.util.HashMap<>();
        thresholdsByLabel.forEach((label, text) -> {
            try {
                parsed.put(label, RenewalThreshold.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("label '" + label + "': " + e.getMessage(), e);
            }
        });
        return new RenewalPolicy(RenewalThreshold.parse(defaultThreshold), parsed, grace);
    }

    public RenewalThreshold thresholdFor(String label) {
        return thresholdsByLabel.getOrDefault(label == null ? "" : label, defaultThreshold);
    }

    public RenewalSchedule schedule(String label, Instant notBefore, Instant notAfter) {
        Instant renewAt = thresholdFor(label).renewalPoint(notBefore, notAfter);
        Instant overdueAt = renewAt.plus(grace);
        return new RenewalSchedule(notBefore, notAfter, renewAt, overdueAt.isAfter(notAfter) ? notAfter : overdueAt);
    }
}
