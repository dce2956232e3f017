package io.estuary.audit.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditOutcome;
import io.estuary.audit.domain.SourcePosition;
import io.estuary.contracts.Topics;

class AuditEventReaderTest {
    private final AuditEventReader reader = new AuditEventReader();

    private static SourcePosition at(String topic) {
        return new SourcePosition(Instant.ofEpochMilli(5), topic, 1, 9);
    }

    @Test
    void derivesEventIdsAndColumnsPerType() throws Exception {
        AuditEntry result = reader.read(at(Topics.ISSUANCE_RESULTS), "{\"requestId\":\"r1\",\"requester\":\"u\","
                + "\"label\":\"\",\"outcome\":\"REJECTED\",\"reason\":\"bad\",\"decidedAt\":\"2026-01-01T00:00:00Z\"}");
        assertEquals("result:r1", result.eventId());
        assertEquals(AuditOutcome.REJECTED, result.outcome());
        assertEquals("bad", result.reason());
        // Failures come before the one decision; each is its own entry, so the decision is no duplicate of them.
        AuditEntry failure = reader.read(at(Topics.ISSUANCE_RESULTS), "{\"requestId\":\"r1\",\"requester\":\"u\","
                + "\"label\":\"\",\"outcome\":\"FAILED\",\"reason\":\"internal\","
                + "\"decidedAt\":\"2026-01-01T00:00:01Z\"}");
        assertEquals("failure:r1:2026-01-01T00:00:01Z", failure.eventId());
        assertEquals(AuditOutcome.SIGNER_FAILED, failure.outcome());
        assertEquals("internal", failure.reason());
        AuditEntry request = reader.read(at(Topics.CSR_REQUESTS),
                "{\"submittedAt\":\"2026-01-01T00:00:00Z\",\"requestId\":\"r1\",\"requester\":\"u\",\"label\":\"x\"}");
        assertEquals("request:r1", request.eventId());
        assertEquals("{\"label\":\"x\",\"requestId\":\"r1\",\"requester\":\"u\",\"submittedAt\":\"2026-01-01T00:00:00Z\"}",
                request.payload());
        AuditEntry auth = reader.read(at(Topics.AUTH_FAILURES),
                "{\"eventId\":\"a1\",\"identity\":\"m\",\"at\":\"2026-01-01T00:00:00Z\",\"reason\":\"no\"}");
        assertEquals("auth-failure:a1", auth.eventId());
        assertEquals("m", auth.requester());
        AuditEntry renewal = reader.read(at(Topics.RENEWAL_EVENTS), "{\"eventId\":\"ab:due\",\"deviceId\":\"d\","
                + "\"serialNumber\":\"ab\",\"status\":\"EXPIRED\",\"at\":\"2026-01-01T00:00:00Z\"}");
        assertEquals(AuditOutcome.RENEWAL_EXPIRED, renewal.outcome());
        assertNull(renewal.requester());
    }

    @Test
    void aRevocationIsOneEntryPerCertificateWithTheOperatorAndTheRfcReason() throws Exception {
        String revoked = "{\"issuer\":\"CN=Estuary CA\",\"serialNumber\":\"ab12\",\"deviceId\":\"d\","
                + "\"reason\":\"KEY_COMPROMISE\",\"revokedAt\":\"2026-01-01T00:00:00Z\",\"revokedBy\":\"op\"}";
        AuditEntry entry = reader.read(at(Topics.REVOCATIONS), revoked);
        assertEquals("revocation:ab12@CN=Estuary CA", entry.eventId());
        assertEquals(AuditOutcome.REVOKED, entry.outcome());
        assertEquals("op", entry.requester());
        assertEquals("keyCompromise", entry.reason());
        assertEquals("ab12", entry.serialNumber());
        assertEquals("d", entry.deviceId());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), entry.occurredAt());
        // Published again (a repeated request whose first commit was lost): the same event, recognised as recorded.
        assertEquals(entry.eventId(), reader.read(at(Topics.REVOCATIONS),
                revoked.replace("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")).eventId());
        assertThrows(MalformedEventException.class, () -> reader.read(at(Topics.REVOCATIONS),
                "{\"issuer\":\"CN=Estuary CA\",\"serialNumber\":\"ab12\",\"reason\":\"HOLD\","
                        + "\"revokedAt\":\"2026-01-01T00:00:00Z\"}"));
        assertThrows(MalformedEventException.class, () -> reader.read(at(Topics.REVOCATIONS),
                "{\"serialNumber\":\"ab12\",\"reason\":\"UNSPECIFIED\",\"revokedAt\":\"2026-01-01T00:00:00Z\"}"));
    }

    @Test
    void rejectsTimesTheStoreCannotHold() {
        MalformedEventException far = assertThrows(MalformedEventException.class, () -> reader.read(
                at(Topics.AUTH_FAILURES), "{\"eventId\":\"a1\",\"at\":\"+100000-01-01T00:00:00Z\"}"));
        assertEquals("field 'at' is outside the years 1 to 9999: +100000-01-01T00:00:00Z", far.getMessage());
        assertThrows(MalformedEventException.class, () -> reader.read(at(Topics.CSR_REQUESTS),
                "{\"requestId\":\"r1\",\"submittedAt\":\"-0001-12-31T00:00:00Z\"}"));
        SourcePosition farRecord = new SourcePosition(Instant.ofEpochMilli(Long.MAX_VALUE), Topics.AUTH_FAILURES, 0, 1);
        assertThrows(MalformedEventException.class, () -> reader.read(farRecord,
                "{\"eventId\":\"a1\",\"at\":\"2026-01-01T00:00:00Z\"}"));
    }

    @Test
    void rejectsWhatCannotBeAudited() {
        assertThrows(MalformedEventException.class, () -> reader.read(at(Topics.ISSUANCE_RESULTS), "}{"));
        assertThrows(MalformedEventException.class, () -> reader.read(at(Topics.ISSUANCE_RESULTS), "[1]"));
        assertThrows(MalformedEventException.class, () -> reader.read(at(Topics.ISSUANCE_RESULTS),
                "{\"outcome\":\"ISSUED\",\"decidedAt\":\"2026-01-01T00:00:00Z\"}"));
        assertThrows(MalformedEventException.class, () -> reader.read(at(Topics.RENEWAL_EVENTS),
                "{\"eventId\":\"x\",\"status\":\"SOON\",\"at\":\"2026-01-01T00:00:00Z\"}"));
        assertThrows(MalformedEventException.class, () -> reader.read(at("elsewhere"), "{}"));
    }
}
