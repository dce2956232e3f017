package io.estuary.signer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;

/**
 * When the answer counts as sent, with the broker replaced by Kafka's MockProducer (the path through a real broker is
 * covered by CsrRequestConsumerTest and the end-to-end tests).
 */
class IssuanceResultPublisherTest {
    private final MockProducer<String, IssuanceResult> broker = new MockProducer<>(false, null,
            new StringSerializer(), (topic, result) -> new byte[0]);
    private final IssuanceResultPublisher publisher = new IssuanceResultPublisher(broker);

    @AfterEach
    void stop() {
        publisher.stop();
    }

    private static IssuanceResult result(String requestId) {
        return new IssuanceResult(requestId, "tester", "", IssuanceResult.Outcome.ISSUED, null, "d", "CN=d", "0a",
                "CN=CA", Instant.now(), Instant.now().plusSeconds(60), "AAAA", Instant.now());
    }

    @Test
    void anAnswerCountsAsSentOnceTheBrokerAcknowledgesIt() throws Exception {
        CompletableFuture<Void> sent = publisher.publish("requester-1", result("r1"));
        assertEquals(1, broker.history().size());
        assertEquals(Topics.ISSUANCE_RESULTS, broker.history().get(0).topic());
        assertEquals("requester-1", broker.history().get(0).key(), "keyed like the request");
        assertFalse(sent.isDone(), "not before the broker has it");
        assertTrue(broker.completeNext());
        sent.get(1, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerTheBrokerDidNotTakeInTimeIsSentAgainUntilItIs() throws Exception {
        CompletableFuture<Void> sent = publisher.publish("requester-2", result("r2"));
        assertTrue(broker.errorNext(new TimeoutException("expired while the broker was away")));
        assertFalse(sent.isDone(), "a decided answer is not given up");
        awaitSends(2);
        assertTrue(broker.errorNext(new TimeoutException("still away")));
        awaitSends(3);
        assertEquals("r2", broker.history().get(2).value().requestId(), "the same answer again");
        assertTrue(broker.completeNext());
        sent.get(1, TimeUnit.SECONDS);
    }

    @Test
    void aFailureThatRetryingCannotMendFailsTheAnswer() {
        CompletableFuture<Void> sent = publisher.publish("requester-3", result("r3"));
        assertTrue(broker.errorNext(new RecordTooLargeException("too large")));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> sent.get(1, TimeUnit.SECONDS));
        assertInstanceOf(RecordTooLargeException.class, failure.getCause());
        assertEquals(1, broker.history().size(), "not sent again");
    }

    private void awaitSends(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (broker.history().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sent " + broker.history().size() + " times, expected " + count);
            }
            Thread.sleep(20);
        }
    }
}
