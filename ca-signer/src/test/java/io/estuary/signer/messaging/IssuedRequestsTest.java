package io.estuary.signer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import jakarta.enterprise.inject.Vetoed;

import io.estuary.contracts.IssuanceResult;

/** The decision logic alone, with the topic reader replaced (the Kafka path is covered by CsrRequestConsumerTest). */
class IssuedRequestsTest {
    private static IssuanceResult result(String requestId) {
        return new IssuanceResult(requestId, "tester", "", IssuanceResult.Outcome.ISSUED, null, "d", "CN=d", "0a",
                "CN=CA", Instant.now(), Instant.now().plusSeconds(60), "AAAA", Instant.now());
    }

    /**
     * A reader whose read-back fails a number of times first (a broker that is briefly away). Vetoed: the Quarkus
     * tests of this module must not see it as a second IssuedRequests bean.
     */
    @Vetoed
    static final class FlakyReader extends IssuedRequests {
        int failuresLeft;
        IssuanceResult known;
        final List<IssuanceResult> recorded = new ArrayList<>();

        @Override
        public Optional<IssuanceResult> find(String requestId) {
            if (failuresLeft-- > 0) {
                throw new IllegalStateException("broker away");
            }
            return Optional.ofNullable(known);
        }

        @Override
        public void record(IssuanceResult result) {
            recorded.add(result);
        }
    }

    @Test
    void aBrokerThatCannotAnswerMakesTheRequestWaitNotFail() {
        FlakyReader reader = new FlakyReader();
        reader.failuresLeft = 2;
        IssuanceResult signed = result("r-1");
        IssuedRequests.Decision decision = reader.decideOnce("r-1", () -> signed);
        assertSame(signed, decision.result());
        assertFalse(decision.earlier());
        assertEquals(List.of(signed), reader.recorded);
    }

    @Test
    void aKnownRequestIsAnsweredAgainWithoutSigning() {
        FlakyReader reader = new FlakyReader();
        reader.known = result("r-2");
        IssuedRequests.Decision decision = reader.decideOnce("r-2", () -> {
            throw new AssertionError("signed twice");
        });
        assertTrue(decision.earlier());
        assertSame(reader.known, decision.result());
        assertTrue(reader.recorded.isEmpty());
    }
}
