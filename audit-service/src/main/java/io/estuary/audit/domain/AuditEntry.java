package io.estuary.audit.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One audited event before it is chained: the columns an auditor queries by, the event itself as canonical JSON, and
 * where it was read.
 *
 * @param eventId   deterministic id: {@code request:<requestId>}, {@code result:<requestId>},
 *                  {@code auth-failure:<eventId>}, {@code renewal:<eventId>}; a redelivery has the same id. A second
 *                  certificate under an id already recorded is {@code <eventId>:<serialNumber>}
 *                  ({@link #asAnotherCertificate})
 * @param outcome   what happened
 * @param occurredAt when the emitting service says it happened (microseconds: what PostgreSQL keeps)
 * @param payload   the event as canonical JSON (sorted keys)
 * Every text is fitted to its column here (see {@link AuditColumns}), so any entry can be stored as it is hashed.
 */
public record AuditEntry(String eventId, AuditOutcome outcome, Instant occurredAt, String deviceId,
        String serialNumber, String label, String requester, String requestId, String reason, String payload,
        SourcePosition source) {
    /** The event id's prefix of a signer's decision on a request: {@code result:<requestId>}. */
    public static final String ANSWER_PREFIX = "result:";

    public AuditEntry {
        if (eventId == null || outcome == null || occurredAt == null || payload == null || source == null) {
            throw new IllegalArgumentException("an audit entry needs an event id, outcome, time, payload and source");
        }
        // Hashes are recomputed from what the database returns; it keeps microseconds.
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
        eventId = AuditColumns.eventId(eventId);
        deviceId = AuditColumns.fit(deviceId, AuditColumns.DEVICE_ID);
        serialNumber = AuditColumns.fit(serialNumber, AuditColumns.SERIAL_NUMBER);
        label = AuditColumns.fit(label, AuditColumns.LABEL);
        requester = AuditColumns.fit(requester, AuditColumns.REQUESTER);
        requestId = AuditColumns.fit(requestId, AuditColumns.REQUEST_ID);
        reason = AuditColumns.fit(reason, AuditColumns.REASON);
        payload = AuditColumns.storable(payload);
    }

    /**
     * This certificate recorded under its own event id, {@code <eventId>:<serialNumber>}, with the reason it is
     * another one for its request (see {@link RequestAnswers}).
     */
    public AuditEntry asAnotherCertificate(String why) {
        return new AuditEntry(anotherCertificateEventId(), outcome, occurredAt, deviceId, serialNumber, label,
                requester, requestId, why, payload, source);
    }

    /** The event id {@link #asAnotherCertificate} gives. */
    public String anotherCertificateEventId() {
        return AuditColumns.eventId(eventId + ":" + serialNumber);
    }
}
