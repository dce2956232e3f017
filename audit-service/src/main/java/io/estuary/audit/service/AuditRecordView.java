package io.estuary.audit.service;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.estuary.audit.domain.AuditOutcome;
import io.estuary.audit.domain.AuditRecord;

/** An audit record as the API and the exports show it; the event payload is embedded as JSON. */
public record AuditRecordView(long sequence, String eventId, AuditOutcome outcome, Instant occurredAt,
        String deviceId, String serialNumber, String label, String requester, String requestId, String reason,
        @JsonRawValue String payload, String sourceTopic, int sourcePartition, long sourceOffset,
        Instant sourceTimestamp, String previousHash, String hash, Instant recordedAt) {

    public static AuditRecordView of(AuditRecord record) {
        return new AuditRecordView(record.sequence, record.eventId, record.outcome, record.occurredAt,
                record.deviceId, record.serialNumber, record.label, record.requester, record.requestId,
                record.reason, record.payload, record.sourceTopic, record.sourcePartition, record.sourceOffset,
                record.sourceTimestamp, record.previousHash, record.hash, record.recordedAt);
    }
}
