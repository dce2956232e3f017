package io.estuary.pki.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

        Counting(Duration limit, int rounds, int failAt, IssuanceWarmUp.Transport... transports) {
            super(PROFILES, limit, rounds, List.of(transports));
            this.failAt = failAt;
        }

        @Override
        protected byte[] rehearseEvents(byte[] certificate, Instant now) {
            if (certificates.incrementAndGet() == failAt) {
                throw new IllegalStateException("a failing rehearsal");
            }
            return certificate;
        }
    }

    /** Keeps the sizes of the rounds carried; throws at the round given (0: never). */
    private static final class Recording implements IssuanceWarmUp.Transport {
        final List<Integer> rounds = new ArrayList<>();
        private final int failAt;
        boolean closed;

        Recording(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public void rehearse(List<byte[]> records, Duration remaining) {
            rounds.add(records.size());
            if (rounds.size() == failAt) {
                throw new IllegalStateException("the broker went away");
            }
        }

        @Override
        public void close() {
            closed = true;
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

    @Test
    void eachRoundsRecordsAreCarriedByEveryTransportThenTheyAreClosed() {
        Recording kafka = new Recording(0);
        Recording listener = new Recording(0);
        Counting warmUp = new Counting(Duration.ofMinutes(5), 3, 0, kafka, listener);
        warmUp.rehearse();
        int perRound = warmUp.certificates.get() / 3;
        assertEquals(List.of(perRound, perRound, perRound), kafka.rounds, "one round's records at a time");
        assertEquals(kafka.rounds, listener.rounds);
        assertTrue(kafka.closed && listener.closed, "closed when the rehearsal is over");
    }

    @Test
    void aFailingTransportIsDroppedAndTheRehearsalGoesOn() {
        Recording failing = new Recording(1);
        Recording other = new Recording(0);
        Counting warmUp = new Counting(Duration.ofMinutes(5), 3, 0, failing, other);
        warmUp.rehearse();
        assertEquals(1, failing.rounds.size(), "not used again after its failure");
        assertTrue(failing.closed, "closed when dropped");
        assertEquals(3, other.rounds.size(), "the other transport and the rounds go on");
        assertTrue(warmUp.done());
    }
}
