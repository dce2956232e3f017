package io.estuary.console.domain;

import java.time.Instant;

/** An audit record as the audit service shows it, less its payload (the console shows the fields, not the event). */
public record AuditRecord(long sequence, String eventId, String outcome, Instant occurredAt, String deviceId,
        String serialNumber, String label, String requester, String requestId, String reason, String hash) {
}
