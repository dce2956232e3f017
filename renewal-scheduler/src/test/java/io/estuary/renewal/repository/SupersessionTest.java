package io.estuary.renewal.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.estuary.renewal.repository.Supersession.Current;

class SupersessionTest {
    private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");

    private static Current cert(String serial, String device, long day) {
        return new Current(serial, device, T.plusSeconds(day * 86_400));
    }

    @Test
    void aNewerCertificateSupersedesTheCurrentOneAndAnOlderOneIsSupersededOnArrival() {
        assertEquals(List.of(new Supersession("e", "n")), Supersession.of(List.of(cert("e", "d", 1)),
                List.of(cert("n", "d", 2))));
        assertEquals(List.of(new Supersession("o", "e")), Supersession.of(List.of(cert("e", "d", 1)),
                List.of(cert("o", "d", 0))));
    }

    @Test
    void onATieTheCertificateAlreadyCurrentStays() {
        assertEquals(List.of(new Supersession("n", "e")), Supersession.of(List.of(cert("e", "d", 1)),
                List.of(cert("n", "d", 1))));
        // Within one batch the one tracked first (by serial) stays.
        assertEquals(List.of(new Supersession("b", "a")), Supersession.of(List.of(),
                List.of(cert("a", "d", 1), cert("b", "d", 1))));
    }

    @Test
    void aBatchIsDecidedAsIfTrackedOneByOne() {
        // e current; o (older) arrives and gives way to e; n (newer) then supersedes e.
        assertEquals(List.of(new Supersession("o", "e"), new Supersession("e", "n")), Supersession.of(
                List.of(cert("e", "d", 5)), List.of(cert("o", "d", 1), cert("n", "d", 9))));
        // Three renewals in one batch: each supersedes the one before; the last is current.
        assertEquals(List.of(new Supersession("a", "b"), new Supersession("b", "c")), Supersession.of(List.of(),
                List.of(cert("a", "d", 1), cert("b", "d", 2), cert("c", "d", 3))));
    }

    @Test
    void devicesAreIndependentAndAFirstCertificateSupersedesNothing() {
        assertEquals(List.of(new Supersession("x1", "x2")), Supersession.of(List.of(cert("x1", "x", 1)),
                List.of(cert("x2", "x", 2), cert("y1", "y", 0), cert("z1", "z", 7))));
        assertEquals(List.of(), Supersession.of(List.of(), List.of(cert("only", "d", 1))));
    }

    @Test
    void aCertificateIsSupersededOnlyOnce() {
        // Two current certificates (an earlier fault): the newcomer older than one and newer than the other.
        assertEquals(List.of(new Supersession("old", "mid"), new Supersession("mid", "new")), Supersession.of(
                List.of(cert("old", "d", 1), cert("new", "d", 9)), List.of(cert("mid", "d", 5))));
    }
}
