package io.estuary.pki.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.estuary.pki.policy.CertificateProfile;

class IssuanceWarmUpTest {
    private static final List<CertificateProfile> PROFILES = List.of(CertificateProfile.deviceIdentity(
            Duration.ofDays(30)));

    /** Counts the certificates handed to it; throws at the one given (0: never). */
    private static final class Counting extends IssuanceWarmUp {
        final AtomicInteger certificates = new AtomicInteger();
        private final int failAt;

        Counting(Duration limit, int rounds, int failAt) {
            super(PROFILES, limit, rounds);
            this.failAt = failAt;
        }

        @Override
        protected void rehearseEvents(byte[] certificate, Instant now) {
            if (certificates.incrementAndGet() == failAt) {
                throw new IllegalStateException("a failing rehearsal");
            }
        }
    }

    @Test
    void everyCertificateOfEveryRoundIsHandedOnThenItIsDone() {
        Counting one = new Counting(Duration.ofMinutes(5), 1, 0);
        one.rehearse();
        int perRound = one.certificates.get();
        assertTrue(perRound > 0, "a round makes certificates under the device profile");

        Counting three = new Counting(Duration.ofMinutes(5), 3, 0);
        assertFalse(three.done(), "not done before it has run");
        three.rehearse();
        assertTrue(three.done());
        assertEquals(3 * perRound, three.certificates.get());
    }

    @Test
    void aLimitOfZeroSkipsIt() {
        Counting skipped = new Counting(Duration.ZERO, 3, 0);
        skipped.rehearse();
        assertTrue(skipped.done());
        assertEquals(0, skipped.certificates.get());
    }

    @Test
    void aFailureEndsItEarlyAndItIsDoneAllTheSame() {
        Counting failing = new Counting(Duration.ofMinutes(5), 3, 1);
        failing.rehearse();
        assertTrue(failing.done());
        assertEquals(1, failing.certificates.get());
    }
}
