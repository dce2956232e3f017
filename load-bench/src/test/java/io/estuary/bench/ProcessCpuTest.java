package io.estuary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The accounting between two synthetic {@code /proc} samples: ticks are 10 ms each. */
class ProcessCpuTest {
    private static final long POSTMASTER = 100;

    private static ProcessCpu.Process postgres(long parent, long startTime, long own, long reaped) {
        return new ProcessCpu.Process("postgresql", parent, startTime, own, reaped);
    }

    @Test
    void aBackendThatEndsBetweenTheSamplesCountsWhatItUsedInBetweenThroughItsParent() {
        // Backend 201 used 50 ticks before the row and 30 more in it, then ended; the postmaster reaped it (80 ticks
        // into its cutime + cstime). Backend 202 started and ended inside the row with 7 ticks. Backend 203 lives on.
        ProcessCpu.Sample before = new ProcessCpu.Sample(Map.of(
                POSTMASTER, postgres(1, 10, 1_000, 400),
                201L, postgres(POSTMASTER, 500, 50, 0),
                203L, postgres(POSTMASTER, 600, 20, 0)));
        ProcessCpu.Sample after = new ProcessCpu.Sample(Map.of(
                POSTMASTER, postgres(1, 10, 1_002, 400 + 80 + 7),
                203L, postgres(POSTMASTER, 600, 25, 0)));
        // 2 (postmaster) + 30 (backend 201 in the row) + 7 (backend 202) + 5 (backend 203) = 44 ticks.
        assertEquals(Map.of("postgresql", 440.0), ProcessCpu.used(before, after));
    }

    @Test
    void theOldDifferenceOfSumsWouldHaveGoneNegativeWhereThisDoesNot() {
        // A busy backend ends right after the first sample, before the postmaster has reaped it.
        ProcessCpu.Sample before = new ProcessCpu.Sample(Map.of(
                POSTMASTER, postgres(1, 10, 1_000, 0),
                201L, postgres(POSTMASTER, 500, 5_000, 0)));
        ProcessCpu.Sample after = new ProcessCpu.Sample(Map.of(
                POSTMASTER, postgres(1, 10, 1_001, 0)));
        assertEquals(Map.of("postgresql", 10.0), ProcessCpu.used(before, after));
    }

    @Test
    void aReusedPidIsANewProcessAndAProcessStartedInTheRowCountsWhole() {
        ProcessCpu.Sample before = new ProcessCpu.Sample(Map.of(
                POSTMASTER, postgres(1, 10, 1_000, 0),
                201L, postgres(POSTMASTER, 500, 90, 0)));
        ProcessCpu.Sample after = new ProcessCpu.Sample(Map.of(
                POSTMASTER, postgres(1, 10, 1_000, 90),
                201L, postgres(POSTMASTER, 900, 4, 0),
                300L, new ProcessCpu.Process("frontend", 1, 950, 12, 0)));
        assertEquals(Map.of("postgresql", 40.0, "frontend", 120.0), ProcessCpu.used(before, after));
    }

    @Test
    void aChildLostWithItsParentLowersTheFigureButNeverBelowZero() {
        // The parent ended too, or reaped nothing (children ignored): nothing is taken back from the rest.
        ProcessCpu.Sample before = new ProcessCpu.Sample(Map.of(
                POSTMASTER, postgres(1, 10, 1_000, 0),
                201L, postgres(POSTMASTER, 500, 5_000, 0),
                202L, postgres(201, 700, 3_000, 0)));
        ProcessCpu.Sample after = new ProcessCpu.Sample(Map.of(
                POSTMASTER, postgres(1, 10, 1_003, 0)));
        assertEquals(Map.of("postgresql", 30.0), ProcessCpu.used(before, after));
        Map<String, Double> per = ProcessCpu.perEnrollment(before, after, 3);
        assertEquals(10.0, per.get("postgresql"));
        assertEquals(10.0, per.get("all"));
        per.values().forEach(ms -> assertTrue(ms >= 0, per.toString()));
    }

    @Test
    void aStatLineIsReadAfterTheLastParenthesisOfTheCommandName() {
        String stat = "4242 (postgres: a) b) S 100 4242 4242 0 -1 4194560 1 2 3 4 17 9 5 6 20 0 1 0 123456 "
                + "1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        assertEquals(new ProcessCpu.Process("postgresql", 100, 123456, 26, 11),
                ProcessCpu.parseStat("postgresql", stat));
    }
}
