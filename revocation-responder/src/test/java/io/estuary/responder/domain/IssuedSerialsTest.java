package io.estuary.responder.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

class IssuedSerialsTest {
    private static final X500Principal CA = new X500Principal("CN=Estuary Device CA,O=Estuary");
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Instant VALID = NOW.plus(Duration.ofDays(30));
    private static final Duration KEPT = Duration.ofDays(30);

    @Test
    void everySerialAddedIsFoundAndNoOther() {
        IssuedSerials serials = new IssuedSerials(KEPT);
        Random random = new Random(26);
        List<BigInteger> added = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            BigInteger serial = new BigInteger(128, random).setBit(0);
            added.add(serial);
            serials.add("O=Estuary,CN=Estuary Device CA", serial, VALID, NOW);
        }
        serials.add("o=estuary, cn=estuary device ca", added.get(0), VALID, NOW); // the same issuer, written otherwise
        assertEquals(50_000, serials.size());
        for (BigInteger serial : added) {
            assertTrue(serials.contains(new X500Principal("O=Estuary,CN=Estuary Device CA"), serial));
        }
        for (int i = 0; i < 10_000; i++) {
            assertFalse(serials.contains(new X500Principal("O=Estuary,CN=Estuary Device CA"),
                    new BigInteger(128, random).shiftLeft(1)), "an even serial was never added");
        }
        assertFalse(serials.contains(CA, added.get(1)), "another issuer's");
    }

    @Test
    void serialsOfOtherSizesAreKeptToo() {
        IssuedSerials serials = new IssuedSerials(KEPT);
        BigInteger large = BigInteger.ONE.shiftLeft(150).add(BigInteger.TEN);
        BigInteger top = BigInteger.ONE.shiftLeft(127);
        serials.add("CN=A", large, VALID, NOW);
        serials.add("CN=A", top, VALID, NOW);
        serials.add("CN=A", BigInteger.ONE, VALID, NOW);
        X500Principal a = new X500Principal("CN=A");
        assertTrue(serials.contains(a, large));
        assertTrue(serials.contains(a, top));
        assertTrue(serials.contains(a, BigInteger.ONE));
        assertFalse(serials.contains(a, BigInteger.TWO));
        assertFalse(serials.contains(a, BigInteger.ZERO));
        assertEquals(3, serials.size());
    }

    @Test
    void aSerialIsKeptWhileItsCertificateIsValidAndForTheKeptTimeAfterItEnded() {
        IssuedSerials serials = new IssuedSerials(KEPT);
        X500Principal a = new X500Principal("CN=A");
        BigInteger valid = BigInteger.valueOf(101);
        BigInteger endedRecently = BigInteger.valueOf(102);
        BigInteger endedLongAgo = BigInteger.valueOf(103);
        BigInteger endUnknown = BigInteger.valueOf(104);
        assertTrue(serials.add("CN=A", valid, NOW.plus(Duration.ofDays(10)), NOW));
        assertTrue(serials.add("CN=A", endedRecently, NOW.minus(Duration.ofDays(10)), NOW));
        assertFalse(serials.add("CN=A", endedLongAgo, NOW.minus(Duration.ofDays(31)), NOW),
                "ended more than the kept time ago: never held");
        assertTrue(serials.add("CN=A", endUnknown, null, NOW));
        assertTrue(serials.contains(a, valid));
        assertTrue(serials.contains(a, endedRecently));
        assertFalse(serials.contains(a, endedLongAgo));
        assertTrue(serials.contains(a, endUnknown));
        assertEquals(3, serials.size());

        assertEquals(0, serials.forgetEnded(NOW), "nothing ended more than 30 days ago");
        assertEquals(1, serials.forgetEnded(NOW.plus(Duration.ofDays(32))), "the one that ended 42 days before");
        assertFalse(serials.contains(a, endedRecently));
        assertTrue(serials.contains(a, valid));
        assertEquals(1, serials.forgetEnded(NOW.plus(Duration.ofDays(50))), "the one that ended 40 days before");
        assertFalse(serials.contains(a, valid));
        assertTrue(serials.contains(a, endUnknown), "a serial whose end is not known is never forgotten");
        assertEquals(1, serials.size());
    }

    @Test
    void serialsAreForgottenAWeekAtATimeNeverBeforeTheEndOfTheirWeekPlusTheKeptTime() {
        IssuedSerials serials = new IssuedSerials(KEPT);
        X500Principal a = new X500Principal("CN=A");
        Instant tuesday = Instant.parse("2026-12-01T12:00:00Z"); // weeks from the epoch run Thursday to Wednesday
        serials.add("CN=A", BigInteger.ONE, tuesday, tuesday);
        serials.add("CN=A", BigInteger.TWO, tuesday.plus(Duration.ofDays(7)), tuesday);
        Instant lastMomentOfTheWeek = Instant.parse("2026-12-02T23:59:59Z").plus(KEPT);
        assertEquals(0, serials.forgetEnded(lastMomentOfTheWeek));
        assertTrue(serials.contains(a, BigInteger.ONE));
        assertEquals(1, serials.forgetEnded(lastMomentOfTheWeek.plusSeconds(1)));
        assertFalse(serials.contains(a, BigInteger.ONE));
        assertTrue(serials.contains(a, BigInteger.TWO), "the next week's stay");
        assertTrue(serials.add("CN=A", BigInteger.ONE, tuesday.plus(Duration.ofDays(7)), tuesday),
                "a week forgotten is not closed to later certificates");
        assertTrue(serials.contains(a, BigInteger.ONE));
    }
}
