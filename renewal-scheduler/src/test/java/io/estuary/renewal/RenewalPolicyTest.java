package io.estuary.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.estuary.renewal.service.RenewalPolicy;

class RenewalPolicyTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void renewalPointIsTheGivenShareOfTheLifetime() {
        assertEquals(START.plus(Duration.ofDays(80)),
                new RenewalPolicy(80).renewalPoint(START, START.plus(Duration.ofDays(100))));
        assertEquals(START.plus(Duration.ofMinutes(45)),
                new RenewalPolicy(75).renewalPoint(START, START.plus(Duration.ofHours(1))));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RenewalPolicy(0));
        assertThrows(IllegalArgumentException.class, () -> new RenewalPolicy(101));
        assertThrows(IllegalArgumentException.class, () -> new RenewalPolicy(80).renewalPoint(START, START));
    }
}
