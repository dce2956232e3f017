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
     * Whether this entry records a certificate other than the one the record under the same event id names: a request
     * answered twice, by a signer that lost its partitions without knowing it. A redelivery names the same serial.
     */
    public boolean issuesAnotherCertificateThan(String recordedSerial) {
        return namesCertificate() && !serialNumber.equals(recordedSerial);
    }

    /** An issuance with the serial number of its certificate. */
    public boolean namesCertificate() {
        return outcome == AuditOutcome.ISSUED && serialNumber != null;
    }

    /** The event id of this issuance recorded as a second answer to its request. */
    public String anotherCertificateEventId() {
        return AuditColumns.eventId(eventId + ":" + serialNumber);
    }

    /**
     * This issuance under its own event id, saying what answered the request first: every certificate a signer
     * published is in the trail, and a replay of the same topics records the same two.
     */
    public AuditEntry asAnotherCertificate(String firstSerial) {
        String first = firstSerial == null ? "had no certificate" : "was serial " + firstSerial;
        return new AuditEntry(anotherCertificateEventId(), outcome, occurredAt, deviceId, serialNumber, label,
                requester, requestId, "a second answer to its request, whose first recorded answer " + first, payload,
                source);
    }
}
