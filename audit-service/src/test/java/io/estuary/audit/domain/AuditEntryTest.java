package io.estuary.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class AuditEntryTest {
    private static final Instant AT = Instant.parse("2026-12-07T20:00:00Z");

    @Test
    void onlyAnIssuanceOfAnotherSerialIsAnotherCertificate() {
        assertTrue(issued("result:r1", "f2").issuesAnotherCertificateThan("f1"));
        assertTrue(issued("result:r1", "f2").issuesAnotherCertificateThan(null), "after a rejection");
        assertFalse(issued("result:r1", "f1").issuesAnotherCertificateThan("f1"), "a redelivery");
        assertFalse(entry("result:r1", AuditOutcome.REJECTED, null).issuesAnotherCertificateThan("f1"));
        assertFalse(entry("result:r1", AuditOutcome.ISSUED, null).issuesAnotherCertificateThan("f1"));
    }

    @Test
    void aSecondCertificateHasItsOwnIdAndNamesTheFirst() {
        AuditEntry second = issued("result:r1", "f2").asAnotherCertificate("f1");
        assertEquals("result:r1:f2", second.eventId());
        assertEquals("result:r1:f2", issued("result:r1", "f2").anotherCertificateEventId());
        assertEquals("a second answer to its request, whose first recorded answer was serial f1", second.reason());
        assertEquals("a second answer to its request, whose first recorded answer had no certificate",
                issued("result:r1", "f2").asAnotherCertificate(null).reason());
        assertEquals(issued("result:r1", "f2").payload(), second.payload());
    }

    @Test
    void aSecondCertificateOfAnIdTooLongForItsColumnStaysDistinctAndStable() {
        String longId = "result:" + "r".repeat(400);
        AuditEntry first = issued(longId, "f1");
        AuditEntry second = issued(longId, "f2").asAnotherCertificate("f1");
        assertTrue(first.eventId().startsWith("result:sha256:"), first.eventId());
        assertTrue(second.eventId().startsWith("result:sha256:"), second.eventId());
        assertNotEquals(first.eventId(), second.eventId());
        assertNotEquals(issued(longId, "f3").anotherCertificateEventId(), second.eventId());
        assertEquals(second.eventId(), issued(longId, "f2").anotherCertificateEventId(), "a redelivery is recognised");
    }

    private static AuditEntry issued(String eventId, String serial) {
        return entry(eventId, AuditOutcome.ISSUED, serial);
    }

    private static AuditEntry entry(String eventId, AuditOutcome outcome, String serial) {
        return new AuditEntry(eventId, outcome, AT, "device", serial, "", "requester", "r1", null, "{}",
                new SourcePosition(AT, "estuary.issuance.results", 0, 1));
    }
}
