package io.estuary.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code audit verify} command, as built, on a chain of {@code audit.verify.records} records (200,000 by default)
 * written straight into the test database, in a heap of {@code audit.verify.heap} (64 MiB by default, a sixth of what
 * the stack gives the service): it must verify them all, so its memory does not grow with the chain. The measurement
 * for docs/audit.md runs it with {@code -Daudit.verify.records=2000000 -Daudit.verify.heap=384m}.
 */
class ChainVerificationScaleIT {
    private static final long RECORDS = Long.getLong("audit.verify.records", 200_000);
    private static final String HEAP = System.getProperty("audit.verify.heap", "64m");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SyntheticChain chain;
    private static long before;
    private static long head;

    record Run(int exit, JsonNode result, String log) {
    }

    @BeforeAll
    static void writeTheChain() throws Exception {
        run(); // the command creates the table if no test has yet
        chain = new SyntheticChain();
        before = chain.headSequence();
        long started = System.nanoTime();
        chain.append(RECORDS);
        head = chain.headSequence();
        System.out.printf("wrote %d records in %.1f s%n", RECORDS, (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void removeTheChain() throws Exception {
        if (chain != null) {
            chain.deleteAfter(before);
            chain.close();
        }
    }

    @Test
    void theWholeChainVerifiesInASmallHeap() throws Exception {
        Run run = run();
        assertEquals(0, run.exit(), run.log());
        assertTrue(run.result().get("valid").asBoolean(), run.log());
        assertEquals(head, run.result().get("checked").asLong());
        assertEquals(head, run.result().get("headSequence").asLong());
        assertEquals(chain.hashAt(head), run.result().get("headHash").asText());
        assertTrue(run.log().contains("records/s"), run.log());
    }

    @Test
    void aTamperedRecordIsReportedAtItsSequenceAndAResumedRunChecksOnlyTheRest() throws Exception {
        long tampered = before + RECORDS / 2;
        long checkpoint = tampered + 10;
        String checkpointHash = chain.hashAt(checkpoint);
        chain.execute("update audit_record set serialNumber = 'edited' where sequence = " + tampered);
        try {
            Run full = run();
            assertEquals(1, full.exit(), full.log());
            assertEquals(tampered, full.result().get("brokenAtSequence").asLong());
            assertEquals(tampered - 1, full.result().get("headSequence").asLong());

            Run rest = run("--after", Long.toString(checkpoint), "--after-hash", checkpointHash);
            assertEquals(0, rest.exit(), rest.log());
            assertEquals(head - checkpoint, rest.result().get("checked").asLong());
            assertEquals(checkpoint, rest.result().get("fromSequence").asLong());
        } finally {
            chain.execute("update audit_record set serialNumber = '" + Long.toHexString(0x1000000L + tampered - before
                    - 1) + "' where sequence = " + tampered);
        }
    }

    @Test
    void aSecondRunOnTheStoreIsRefused() throws Exception {
        // What a running verification (the service's or another command's) holds.
        try (PreparedStatement lock = chain.connection().prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, 0x6573747561727956L);
            lock.execute();
        }
        try {
            Run refused = run();
            assertEquals(3, refused.exit(), refused.log());
            assertTrue(refused.log().contains("already running"), refused.log());
        } finally {
            chain.execute("select pg_advisory_unlock(" + 0x6573747561727956L + ")");
        }
    }

    /** The built command, in the test's heap; its standard output is the result, its standard error the log. */
    private static Run run(String... checkpoint) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + HEAP, "-Dquarkus.log.level=WARN", "-jar", "target/quarkus-app/quarkus-run.jar",
                "verify"));
        command.addAll(List.of(checkpoint));
        Path log = Files.createTempFile("audit-verify", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(20, TimeUnit.MINUTES), "audit verify did not end");
            String errors = Files.readString(log);
            System.out.print(errors);
            // The result is the line of JSON; Quarkus may log a warning on standard output too.
            String line = out.lines().filter(l -> l.startsWith("{\"valid\"")).reduce((a, b) -> b).orElse(null);
            JsonNode result = line == null ? null : JSON.readTree(line);
            return new Run(process.exitValue(), result, errors + out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
