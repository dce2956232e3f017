package io.estuary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void onlyThisStacksProcessesAreCounted() {
        java.util.List<String> ours = java.util.List.of("/work/a/", "/work/a/.estuary/test/");
        assertEquals("frontend", ProcessCpu.partOf(
                "java -Xms1g -jar /work/a/est-frontend/target/quarkus-app/quarkus-run.jar", ours));
        assertEquals(null, ProcessCpu.partOf(
                "java -Xms1g -jar /work/ab/est-frontend/target/quarkus-app/quarkus-run.jar", ours),
                "another checkout's frontend, though its path starts with this one's");
        assertEquals("kafka", ProcessCpu.partOf("java -cp /root/.cache/kafka/lib/* "
                + "-Dlog4j2.configurationFile=/work/a/deploy/kafka/log4j2.properties kafka.Kafka", ours));
        assertEquals("keycloak", ProcessCpu.partOf("java -Dkc.home.dir=/work/a/.estuary/test/keycloak/bin/.. "
                + "io.quarkus.bootstrap.runner.QuarkusEntryPoint --import-realm keycloak", ours));
        assertEquals(null, ProcessCpu.partOf("java -Dkc.home.dir=/work/b/.estuary/test/keycloak/bin/.. keycloak",
                ours));
        assertEquals("postgresql", ProcessCpu.partOf("postgres: 15/main: estuary estuary_audit idle", ours),
                "the machine's one cluster serves every stack");
        assertEquals("frontend", ProcessCpu.partOf("java -jar /work/b/est-frontend/quarkus-run.jar",
                java.util.List.of()), "no markers known: everything counts");
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

    @Test
    void twoFrontendsAndTwoSignersAreSummedByPartAndCounted() {
        ProcessCpu.Sample before = new ProcessCpu.Sample(Map.of(
                300L, new ProcessCpu.Process("frontend", 1, 950, 100, 0),
                301L, new ProcessCpu.Process("frontend", 1, 960, 200, 0),
                400L, new ProcessCpu.Process("signer", 1, 970, 50, 0),
                401L, new ProcessCpu.Process("signer", 1, 980, 60, 0)));
        ProcessCpu.Sample after = new ProcessCpu.Sample(Map.of(
                300L, new ProcessCpu.Process("frontend", 1, 950, 130, 0),
                301L, new ProcessCpu.Process("frontend", 1, 960, 220, 0),
                400L, new ProcessCpu.Process("signer", 1, 970, 55, 0),
                401L, new ProcessCpu.Process("signer", 1, 980, 70, 0)));
        assertEquals(Map.of("frontend", 500.0, "signer", 150.0), ProcessCpu.used(before, after));
        assertEquals(Map.of("frontend", 2, "signer", 2), ProcessCpu.processCounts(after));
    }

    @Test
    void theMachinesBusyTimeLeavesOutIdleAndIowaitAndCountsGuestTimeOnce() {
        // user 100, nice 20, system 30, idle 5000, iowait 40, irq 1, softirq 2, steal 3, guest 50 (inside user).
        assertEquals((100 + 20 + 30 + 1 + 2 + 3) * 10.0,
                ProcessCpu.busyMillis("cpu  100 20 30 5000 40 1 2 3 50 0"));
        // An older kernel's shorter line (no steal, guest).
        assertEquals((100 + 20 + 30 + 1 + 2) * 10.0, ProcessCpu.busyMillis("cpu 100 20 30 5000 40 1 2"));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.busyMillis("cpu0 1 2 3 4 5 6 7 8"));
    }
}
