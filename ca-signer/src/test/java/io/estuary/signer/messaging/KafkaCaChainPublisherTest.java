package io.estuary.signer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class KafkaCaChainPublisherTest {
    @Test
    void aChainIsSentAgainUntilTheBrokersAcknowledgeIt() {
        AtomicInteger attempts = new AtomicInteger();
        // As the Kafka producer fails while the topic does not exist yet: the first sends time out.
        Uni<Void> send = Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() < 4) {
                throw new IllegalStateException("Topic estuary.ca.chains not present in metadata after 60000 ms.");
            }
            return null;
        });

        KafkaCaChainPublisher.untilAcknowledged(send, "estuary-ca", Duration.ofMillis(5)).await()
                .atMost(Duration.ofSeconds(10));

        assertEquals(4, attempts.get());
    }
}
