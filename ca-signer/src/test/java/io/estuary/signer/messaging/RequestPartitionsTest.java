package io.estuary.signer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.signer.service.AnsweredRequests;

class RequestPartitionsTest {
    /** Counts the catch-ups asked for. */
    static final class Answers implements AnsweredRequests {
        final AtomicLong asks = new AtomicLong();

        @Override
        public boolean caughtUp() {
            return true;
        }

        @Override
        public long askToCatchUp() {
            return asks.incrementAndGet();
        }

        @Override
        public boolean caughtUpWith(long ask) {
            return true;
        }

        @Override
        public Optional<IssuanceResult> find(String requestId) {
            return Optional.empty();
        }

        @Override
        public void record(IssuanceResult result) {
        }
    }

    private static List<TopicPartition> partitions(int... numbers) {
        return java.util.Arrays.stream(numbers).mapToObj(n -> new TopicPartition(Topics.CSR_REQUESTS, n)).toList();
    }

    @Test
    void onlyRequestsOfHeldPartitionsAreClaimed() {
        RequestPartitions held = new RequestPartitions(new Answers(), Duration.ofSeconds(5));
        assertEquals(Set.of(), held.claim(Set.of(0, 1), new CompletableFuture<>()), "nothing assigned yet");
        held.onPartitionsAssigned(null, partitions(0, 2));
        assertEquals(Set.of(0), held.claim(Set.of(0, 1), new CompletableFuture<>()));
        held.onPartitionsLost(null, partitions(0));
        assertEquals(Set.of(), held.claim(Set.of(0), new CompletableFuture<>()), "a lost partition is not signed from");
    }

    @Test
    void takingOverPartitionsAsksForTheAnswersGivenUntilThen() {
        Answers answers = new Answers();
        RequestPartitions held = new RequestPartitions(answers, Duration.ofSeconds(5));
        held.onPartitionsAssigned(null, partitions());
        assertEquals(0, held.catchUp(), "an empty assignment takes nothing over");
        held.onPartitionsAssigned(null, partitions(1));
        assertEquals(1, held.catchUp());
        held.onPartitionsAssigned(null, partitions(3));
        assertEquals(2, held.catchUp());
    }

    @Test
    void aRevokedPartitionIsHandedOverOnlyOnceItsRequestsBeingSignedAreAnswered() throws Exception {
        RequestPartitions held = new RequestPartitions(new Answers(), Duration.ofSeconds(30));
        held.onPartitionsAssigned(null, partitions(0, 1));
        CompletableFuture<Void> fromZero = new CompletableFuture<>();
        CompletableFuture<Void> fromOne = new CompletableFuture<>();
        assertEquals(Set.of(0), held.claim(Set.of(0), fromZero));
        assertEquals(Set.of(1), held.claim(Set.of(1), fromOne));

        CompletableFuture<Void> revoked = CompletableFuture.runAsync(() -> held.onPartitionsRevoked(null,
                partitions(0)));
        Thread.sleep(300);
        assertFalse(revoked.isDone(), "the revocation waits for the requests from partition 0");
        assertEquals(Set.of(), held.claim(Set.of(0), new CompletableFuture<>()),
                "nothing more is signed from a partition being handed over");
        fromZero.complete(null);
        revoked.get(10, TimeUnit.SECONDS);
        assertFalse(fromOne.isDone(), "requests of a partition kept do not hold up the handover");
        assertEquals(Set.of(1), held.claim(Set.of(0, 1), new CompletableFuture<>()));
    }

    @Test
    void aRevocationDoesNotWaitForeverNorForALostPartition() throws Exception {
        RequestPartitions held = new RequestPartitions(new Answers(), Duration.ofMillis(200));
        held.onPartitionsAssigned(null, partitions(0));
        held.claim(Set.of(0), new CompletableFuture<>()); // never answered
        long start = System.nanoTime();
        held.onPartitionsRevoked(null, partitions(0));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= 150 && waitedMillis < 5000, "waited " + waitedMillis + " ms");

        RequestPartitions patient = new RequestPartitions(new Answers(), Duration.ofMinutes(5));
        patient.onPartitionsAssigned(null, partitions(1));
        patient.claim(Set.of(1), new CompletableFuture<>());
        CompletableFuture.runAsync(() -> patient.onPartitionsLost(null, partitions(1))).get(60, TimeUnit.SECONDS);
        assertEquals(Set.of(), patient.claim(Set.of(1), new CompletableFuture<>()), "a lost partition is another's");
    }
}
