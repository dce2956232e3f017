package io.estuary.audit.domain;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A filter over the audit trail; null fields do not filter. {@code label} {@code ""} is the default EST label.
 * {@code from} is inclusive, {@code to} exclusive, both on the event's own time. Values are fitted to their columns
 * as events are (see {@link AuditColumns}): a value too long for its column finds the records stored with it cut.
 */
public record AuditQuery(String deviceId, String serialNumber, String label, AuditOutcome outcome, String requestId,
        Instant from, Instant to) {

    public AuditQuery {
        deviceId = AuditColumns.fit(deviceId, AuditColumns.DEVICE_ID);
        serialNumber = AuditColumns.fit(serialNumber, AuditColumns.SERIAL_NUMBER);
        label = AuditColumns.fit(label, AuditColumns.LABEL);
        requestId = AuditColumns.fit(requestId, AuditColumns.REQUEST_ID);
    }

    /** Reads query parameters as an operator types them; throws with a reason an operator can act on. */
    public static AuditQuery parse(String deviceId, String serialNumber, String label, String outcome,
            String requestId, String from, String to) {
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw new InvalidQueryException("'from' must be before 'to'");
        }
        return new AuditQuery(blankToNull(deviceId), blankToNull(serialNumber), label, outcome(outcome),
                blankToNull(requestId), fromInstant, toInstant);
    }

    private static AuditOutcome outcome(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return AuditOutcome.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("'outcome' must be one of " + Arrays.toString(AuditOutcome.values()));
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
