package io.estuary.console.domain;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The audit search form: device, serial, label, outcome and a time range. The browser's date-time fields carry no
 * zone; the console reads them as UTC (and says so). Anything else is passed on for the audit service to judge.
 */
public record AuditSearch(String device, String serial, String label, String outcome, String from, String to) {
    /** The audit service's outcomes, for the search form's choice. */
    public static final List<String> OUTCOMES = List.of("REQUESTED", "ISSUED", "REJECTED", "SIGNER_FAILED",
            "AUTHENTICATION_FAILED", "RENEWAL_DUE", "RENEWAL_OVERDUE", "RENEWAL_EXPIRED", "REVOKED");

    public static AuditSearch of(String device, String serial, String label, String outcome, String from,
            String to) {
        return new AuditSearch(trimmed(device), trimmed(serial), trimmed(label), trimmed(outcome), trimmed(from),
                trimmed(to));
    }

    /** {@code from} as the audit API takes it: an ISO-8601 instant. */
    public String fromInstant() {
        return instant(from);
    }

    public String toInstant() {
        return instant(to);
    }

    public boolean empty() {
        return device == null && serial == null && label == null && outcome == null && from == null && to == null;
    }

    static String instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
