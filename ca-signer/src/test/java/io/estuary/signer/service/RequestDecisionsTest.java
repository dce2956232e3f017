package io.estuary.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.estuary.contracts.IssuanceResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The decision logic alone, with the topic reader replaced (the Kafka path is covered by CsrRequestConsumerTest). */
class RequestDecisionsTest {
    private static IssuanceResult result(String requestId) {
        return new IssuanceResult(requestId, "tester", "", IssuanceResult.Outcome.ISSUED, null, "d", "CN=d", "0a",
                "CN=CA", Instant.now(), Instant.now().plusSeconds(60), "AAAA", Instant.now());
    }

    /** Answers whose read-back fails a number of times first (a broker that is briefly away). */
    static final class FlakyAnswers implements AnsweredRequests {
        int failuresLeft;
        IssuanceResult known;
        final List<IssuanceResult> recorded = new ArrayList<>();

        @Override
        public boolean caughtUp() {
            return true;
        }

        @Override
        public long askToCatchUp() {
            return 0;
        }

        @Override
        public boolean caughtUpWith(long ask) {
            return true;
        }

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
        FlakyAnswers answers = new FlakyAnswers();
        answers.failuresLeft = 2;
        IssuanceResult signed = result("r-1");
        RequestDecisions.Decision decision = new RequestDecisions(null, answers, new SignerMetrics(new SimpleMeterRegistry())).decideOnce("r-1", () -> signed);
        assertSame(signed, decision.result());
        assertFalse(decision.earlier());
        assertEquals(List.of(signed), answers.recorded);
    }

    @Test
    void aKnownRequestIsAnsweredAgainWithoutSigning() {
        FlakyAnswers answers = new FlakyAnswers();
        answers.known = result("r-2");
        RequestDecisions.Decision decision = new RequestDecisions(null, answers, new SignerMetrics(new SimpleMeterRegistry())).decideOnce("r-2", () -> {
            throw new AssertionError("signed twice");
        });
        assertTrue(decision.earlier());
        assertSame(answers.known, decision.result());
        assertTrue(answers.recorded.isEmpty());
    }
}
