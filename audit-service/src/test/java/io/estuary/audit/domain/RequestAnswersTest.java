package io.estuary.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RequestAnswersTest {
    private static final Instant AT = Instant.parse("2026-12-07T20:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(15);

    @Test
    void theFirstAnswerIsPlacedAsItIsAndItsRedeliveryIsNot() {
        RequestAnswers answers = new RequestAnswers(Map.of(), WINDOW);
        AuditEntry issued = issued("r1", "f1", AT);
        RequestAnswers.Placement first = answers.place(issued);
        assertSame(issued, first.entry());
        assertFalse(first.answeredTwice());
        assertNull(answers.place(issued("r1", "f1", AT)), "a redelivery in the same batch");
        assertNull(answers.place(rejected("r1", AT.plusSeconds(1))), "a rejection issues nothing more");
        assertEquals("result:r2", answers.place(issued("r2", "f1", AT)).entry().eventId(), "another request");
    }

    @Test
    void aRedeliveryOfARecordedAnswerIsNotPlaced() {
        RequestAnswers answers = new RequestAnswers(Map.of("r1", List.of(new RecordedAnswer("f1", AT),
                new RecordedAnswer("f2", AT.plus(Duration.ofDays(30))))), WINDOW);
        assertNull(answers.place(issued("r1", "f1", AT)));
        assertNull(answers.place(issued("r1", "f2", AT.plus(Duration.ofDays(30)))));
    }

    @Test
    void anotherCertificateWithinTheRetryWindowAnswersTheRequestTwice() {
        RequestAnswers answers = new RequestAnswers(Map.of("r1", List.of(new RecordedAnswer("f1", AT))), WINDOW);
        RequestAnswers.Placement second = answers.place(issued("r1", "f2", AT.plusSeconds(40)));
        assertTrue(second.answeredTwice());
        assertEquals("result:r1:f2", second.entry().eventId());
        assertEquals("answered twice: within the retry window of the answer recorded with serial f1 (two signers"
                + " answered it)", second.entry().reason());
        assertEquals("f2", second.entry().serialNumber());
        assertNull(answers.place(issued("r1", "f2", AT.plusSeconds(40))), "its redelivery");

        RequestAnswers afterRejection = new RequestAnswers(Map.of("r1", List.of(new RecordedAnswer(null, AT))),
                WINDOW);
        RequestAnswers.Placement issued = afterRejection.place(issued("r1", "f3", AT.plusSeconds(1)));
        assertTrue(issued.answeredTwice());
        assertTrue(issued.entry().reason().contains("the answer recorded without a certificate"),
                issued.entry().reason());
    }

    @Test
    void anotherCertificateAfterTheRetryWindowIsTheSameCsrEnrolledAgain() {
        RequestAnswers answers = new RequestAnswers(Map.of("r1", List.of(new RecordedAnswer("f1", AT))), WINDOW);
        RequestAnswers.Placement again = answers.place(issued("r1", "f2", AT.plus(Duration.ofDays(30))));
        assertFalse(again.answeredTwice());
        assertEquals("result:r1:f2", again.entry().eventId());
        assertEquals("issued again for the same CSR and requester, after the retry window of the answer recorded with"
                + " serial f1", again.entry().reason());
        // A second signer's copy of that new certificate is measured against it, not against the first.
        RequestAnswers.Placement copy = answers.place(issued("r1", "f3", AT.plus(Duration.ofDays(30)).plusSeconds(5)));
        assertTrue(copy.answeredTwice());
        assertTrue(copy.entry().reason().contains("serial f2"), copy.entry().reason());
    }

    @Test
    void anIdTooLongForItsColumnStaysDistinctPerCertificate() {
        String request = "r".repeat(400);
        RequestAnswers answers = new RequestAnswers(Map.of(), WINDOW);
        AuditEntry first = answers.place(issued(request, "f1", AT)).entry();
        AuditEntry second = answers.place(issued(request, "f2", AT)).entry();
        AuditEntry third = answers.place(issued(request, "f3", AT)).entry();
        assertTrue(second.eventId().startsWith("result:sha256:"), second.eventId());
        assertEquals(3, java.util.Set.of(first.eventId(), second.eventId(), third.eventId()).size());
        assertEquals(second.eventId(), issued(request, "f2", AT).asAnotherCertificate("again").eventId(), "stable");
    }

    @Test
    void onlyDecisionsAreAnswers() {
        assertTrue(RequestAnswers.isAnswer(issued("r1", "f1", AT)));
        assertTrue(RequestAnswers.isAnswer(rejected("r1", AT)));
        assertFalse(RequestAnswers.isAnswer(new AuditEntry("failure:r1:" + AT, AuditOutcome.SIGNER_FAILED, AT, null,
                null, "", "requester", "r1", "broken", "{}", source(AT))));
        assertFalse(RequestAnswers.isAnswer(new AuditEntry("batch:1", AuditOutcome.ISSUED, AT, "device", "f1", "",
                "requester", "r1", null, "{}", source(AT))), "not a signer's answer");
    }

    private static AuditEntry issued(String request, String serial, Instant at) {
        return new AuditEntry("result:" + request, AuditOutcome.ISSUED, at, "device", serial, "", "requester", request,
                null, "{}", source(at));
    }

    private static AuditEntry rejected(String request, Instant at) {
        return new AuditEntry("result:" + request, AuditOutcome.REJECTED, at, null, null, "", "requester", request,
                "refused", "{}", source(at));
    }

    private static SourcePosition source(Instant at) {
        return new SourcePosition(at, "estuary.issuance.results", 0, 1);
    }
}
