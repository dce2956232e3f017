package io.estuary.kafka.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.KafkaSettings;
import io.estuary.kafka.follower.TopicFollower;
import io.estuary.testkit.KafkaTestClient;

/** Against the real broker of the test stack (ESTUARY_KAFKA_BOOTSTRAP). */
class RecentIssuanceResultsTest {
    private static KafkaTestClient kafka;
    private static final KafkaSettings KAFKA = new KafkaSettings(KafkaTestClient.bootstrapServers(),
            Duration.ofMillis(500), Duration.ofSeconds(30));
    private static RecentIssuanceResults results;
    private static TopicFollower follower;
    private static final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = new KafkaTestClient();
        // None held whole: every hit here is read back from the topic (the held ones have a test of their own).
        results = new RecentIssuanceResults(KAFKA, Duration.ofMinutes(15), KafkaTestClient.JSON,
                r -> heard.add(r.requestId()), 0);
        follower = new TopicFollower("recent-results-test", KAFKA, results.subscription(), results).start();
        Instant deadline = Instant.now().plusSeconds(60);
        while (!results.caughtUp() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertTrue(results.caughtUp(), "the reader caught up");
    }

    @AfterAll
    static void stop() {
        follower.close();
        results.close();
        kafka.close();
    }

    @Test
    void aResultReadFromTheTopicIsFoundAgainByReadingItBack() throws Exception {
        IssuanceResult published = result(UUID.randomUUID().toString(), "MIIBcertificate-1");
        kafka.send(Topics.ISSUANCE_RESULTS, published.requester(), published);
        awaitHeard(published.requestId());
        assertTrue(results.knows(published.requestId()));
        assertEquals(Optional.of(published), results.find(published.requestId()));
        assertFalse(results.knows(UUID.randomUUID().toString()));
        assertEquals(Optional.empty(), results.find(UUID.randomUUID().toString()));
    }

    @Test
    void theFirstAnswerInTheTopicWins() throws Exception {
        String requestId = UUID.randomUUID().toString();
        IssuanceResult first = result(requestId, "MIIBfirst");
        kafka.send(Topics.ISSUANCE_RESULTS, first.requester(), first);
        kafka.send(Topics.ISSUANCE_RESULTS, first.requester(), result(requestId, "MIIBsecond"));
        awaitHeard(requestId);
        awaitHeard(requestId);
        assertEquals("MIIBfirst", results.find(requestId).orElseThrow().certificate());
    }

    @Test
    void aResultProducedHereIsKnownAtOnceAndLeavesTheHeapOnceReadBack() throws Exception {
        IssuanceResult mine = result(UUID.randomUUID().toString(), "MIIBmine");
        results.record(mine);
        assertTrue(results.knows(mine.requestId()));
        assertEquals(Optional.of(mine), results.find(mine.requestId()));
        assertTrue(results.resultsHeld() >= 1);
        kafka.send(Topics.ISSUANCE_RESULTS, mine.requester(), mine);
        awaitHeard(mine.requestId());
        assertEquals(0, results.resultsHeld(), "only positions are kept once results are in the topic");
        assertEquals(Optional.of(mine), results.find(mine.requestId()));
    }

    @Test
    void manyResultsAreHeldAsPositionsOnly() throws Exception {
        List<IssuanceResult> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            IssuanceResult r = result(UUID.randomUUID().toString(), "MIIB" + "x".repeat(100) + i);
            batch.add(r);
            kafka.sendAsync(Topics.ISSUANCE_RESULTS, r.requester(), r);
        }
        kafka.flush();
        // One key, so one partition: once the last is read, all are.
        awaitHeard(batch.get(batch.size() - 1).requestId());
        for (IssuanceResult r : List.of(batch.get(0), batch.get(50), batch.get(99))) {
            assertEquals(Optional.of(r), results.find(r.requestId()));
        }
        assertEquals(0, results.resultsHeld());
    }

    @Test
    void aReaderOfPositionsOnlyKnowsEveryResultAndReadsItBackWhole() throws Exception {
        // The signer's reader: request ids only, no listener; what it finds is read back from the topic.
        try (RecentIssuanceResults positions = new RecentIssuanceResults(KAFKA, Duration.ofMinutes(15),
                KafkaTestClient.JSON);
                TopicFollower reader = new TopicFollower("positions-only-test", KAFKA,
                        positions.subscription(), positions)) {
            reader.start();
            IssuanceResult mine = result(UUID.randomUUID().toString(), "MIIBproduced-here");
            positions.record(mine);
            IssuanceResult other = result(UUID.randomUUID().toString(), "MIIBfrom-another-signer");
            kafka.send(Topics.ISSUANCE_RESULTS, other.requester(), other);
            kafka.send(Topics.ISSUANCE_RESULTS, mine.requester(), mine);
            Instant deadline = Instant.now().plusSeconds(30);
            while (!(positions.knows(other.requestId()) && positions.resultsHeld() == 0)
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertTrue(positions.knows(other.requestId()), "a result from the topic is known");
            assertEquals(0, positions.resultsHeld(), "a result produced here leaves the heap once read back");
            assertEquals(Optional.of(other), positions.find(other.requestId()));
            assertEquals(Optional.of(mine), positions.find(mine.requestId()));
            assertFalse(positions.knows(UUID.randomUUID().toString()));
        }
    }

    /**
     * The signer's reader fetches in batches, so it lags the topic; a signer that takes over partitions asks it to
     * catch up, and once it has, every result published before the ask is known. Twenty rounds: the reader is behind
     * at an ask in most of them.
     */
    @Test
    void aCatchUpIsMetOnlyOnceEveryResultPublishedBeforeTheAskIsRead() throws Exception {
        try (RecentIssuanceResults positions = new RecentIssuanceResults(KAFKA, Duration.ofMinutes(15),
                KafkaTestClient.JSON);
                TopicFollower reader = new TopicFollower("catch-up-test", KAFKA, positions.subscription(),
                        positions)) {
            reader.start();
            awaitTrue(positions::caughtUp, "the reader caught up at its start");
            for (int round = 0; round < 20; round++) {
                IssuanceResult other = result(UUID.randomUUID().toString(), "MIIBanswered-by-another-signer");
                kafka.send(Topics.ISSUANCE_RESULTS, other.requester(), other); // acknowledged by the broker
                long ask = positions.askToCatchUp();
                awaitTrue(() -> positions.caughtUpWith(ask), "round " + round + ": the catch-up was met");
                assertTrue(positions.knows(other.requestId()), "round " + round + ": known once caught up");
            }
            assertFalse(positions.caughtUpWith(positions.askToCatchUp() + 1), "an ask not made is not met");
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(5);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /** A failure is no decision: its waiter hears it, but a retry must be signed anew, by either kind of reader. */
    @Test
    void aFailureIsHeardButNotKeptAndTheLaterDecisionIs() throws Exception {
        try (RecentIssuanceResults positions = new RecentIssuanceResults(KAFKA, Duration.ofMinutes(15),
                KafkaTestClient.JSON);
                TopicFollower reader = new TopicFollower("positions-failure-test", KAFKA,
                        positions.subscription(), positions)) {
            reader.start();
            String requestId = UUID.randomUUID().toString();
            IssuanceResult failed = new IssuanceResult(requestId, "results-test", "", IssuanceResult.Outcome.FAILED,
                    "internal error", null, null, null, null, null, null, null, Instant.now());
            positions.record(failed);
            assertFalse(positions.knows(requestId), "a failure produced here is not recorded");
            kafka.send(Topics.ISSUANCE_RESULTS, failed.requester(), failed);
            awaitHeard(requestId);
            assertEquals(Optional.empty(), results.find(requestId));
            IssuanceResult issued = result(requestId, "MIIBafter-the-failure");
            kafka.send(Topics.ISSUANCE_RESULTS, issued.requester(), issued);
            awaitHeard(requestId);
            assertEquals(Optional.of(issued), results.find(requestId));
            Instant deadline = Instant.now().plusSeconds(30);
            while (!positions.knows(requestId) && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertEquals(Optional.of(issued), positions.find(requestId), "the positions reader skipped the failure");
        }
    }

    /**
     * A deterministic failure answers retries like a decision, by either kind of reader, and the first answer still
     * wins over a later one.
     */
    @Test
    void aDeterministicFailureIsKeptLikeADecision() throws Exception {
        try (RecentIssuanceResults positions = new RecentIssuanceResults(KAFKA, Duration.ofMinutes(15),
                KafkaTestClient.JSON);
                TopicFollower reader = new TopicFollower("positions-deterministic-failure-test", KAFKA,
                        positions.subscription(), positions)) {
            reader.start();
            String requestId = UUID.randomUUID().toString();
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            IssuanceResult failed = new IssuanceResult(requestId, "results-test", "", IssuanceResult.Outcome.FAILED,
                    "cannot assemble certificate", null, null, null, null, null, null, null, now, null, true);
            positions.record(failed);
            assertTrue(positions.knows(requestId), "a deterministic failure produced here is recorded");
            kafka.send(Topics.ISSUANCE_RESULTS, failed.requester(), failed);
            awaitHeard(requestId);
            assertEquals(Optional.of(failed), results.find(requestId));
            IssuanceResult issued = result(requestId, "MIIBafter-the-deterministic-failure");
            kafka.send(Topics.ISSUANCE_RESULTS, issued.requester(), issued);
            awaitHeard(requestId);
            assertEquals(Optional.of(failed), results.find(requestId), "the failure was the first answer");
            Instant deadline = Instant.now().plusSeconds(30);
            while (positions.resultsHeld() > 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertEquals(0, positions.resultsHeld(), "the positions reader read the failure back from the topic");
            assertEquals(Optional.of(failed), positions.find(requestId));
        }
    }

    /**
     * The latest results are answered from memory, the first answer in the topic still winning; an older one leaves
     * memory and is read back from the topic instead, the same answer.
     */
    @Test
    void theLatestResultsAreHeldWholeAndOlderOnesReadBack() throws Exception {
        ConcurrentLinkedQueue<String> read = new ConcurrentLinkedQueue<>();
        try (RecentIssuanceResults latest = new RecentIssuanceResults(KAFKA, Duration.ofMinutes(15),
                KafkaTestClient.JSON, r -> read.add(r.requestId()), 2);
                TopicFollower reader = new TopicFollower("latest-results-test", KAFKA, latest.subscription(),
                        latest)) {
            reader.start();
            Instant caughtUp = Instant.now().plusSeconds(60);
            while (!latest.caughtUp() && Instant.now().isBefore(caughtUp)) {
                Thread.sleep(20); // the earlier tests' results first, so that these are the latest
            }
            assertTrue(latest.caughtUp(), "the reader caught up");
            String requestId = UUID.randomUUID().toString();
            IssuanceResult first = result(requestId, "MIIBfirst-held");
            IssuanceResult second = result(UUID.randomUUID().toString(), "MIIBsecond-held");
            IssuanceResult third = result(UUID.randomUUID().toString(), "MIIBthird-held");
            // One key, so one partition, read in this order; a later answer to the first request is no decision.
            kafka.send(Topics.ISSUANCE_RESULTS, first.requester(), first);
            kafka.send(Topics.ISSUANCE_RESULTS, first.requester(), result(requestId, "MIIBlater-answer"));
            Instant deadline = Instant.now().plusSeconds(30);
            while (!latest.knows(requestId) && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            awaitRead(read, requestId, 2);
            assertEquals(Optional.of(first), latest.findHeld(requestId), "held, and the first answer");
            assertEquals(Optional.of(first), latest.find(requestId));

            kafka.send(Topics.ISSUANCE_RESULTS, second.requester(), second);
            kafka.send(Topics.ISSUANCE_RESULTS, third.requester(), third);
            awaitRead(read, third.requestId(), 1);
            assertEquals(Optional.of(second), latest.findHeld(second.requestId()));
            assertEquals(Optional.of(third), latest.findHeld(third.requestId()));
            assertEquals(2, latest.latestHeld());
            assertEquals(Optional.empty(), latest.findHeld(requestId), "the oldest left memory");
            assertTrue(latest.knows(requestId));
            assertEquals(Optional.of(first), latest.find(requestId), "read back from the topic, the same answer");
            assertEquals(Optional.empty(), latest.findHeld(UUID.randomUUID().toString()));
        }
    }

    private static void awaitRead(ConcurrentLinkedQueue<String> read, String requestId, int times)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (read.stream().filter(requestId::equals).count() < times && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(times, read.stream().filter(requestId::equals).count(), "results read for " + requestId);
    }

    private static IssuanceResult result(String requestId, String certificate) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // A random serial and device: later modules' consumers read this topic too, and the renewal tracker keys
        // certificates by serial.
        String serial = UUID.randomUUID().toString().replace("-", "");
        return new IssuanceResult(requestId, "results-test", "", IssuanceResult.Outcome.ISSUED, null,
                "results-test-" + serial, "CN=results-test-" + serial, serial, "CN=Results Test CA", now,
                now.plusSeconds(3600), certificate, now);
    }

    private static void awaitHeard(String requestId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (heard.remove(requestId)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("result " + requestId + " was not read within 30 s");
    }
}
