package io.estuary.renewal.domain;

/** Where a tracked certificate stands at a moment; the states after VALID follow each other in this order. */
public enum RenewalState {
    /** Before its renewal point. */
    VALID,
    /** Renewal point passed: the device should be renewing. */
    DUE,
    /** Renewal point plus grace passed without a newer certificate. */
    OVERDUE,
    /** Past notAfter: the device can no longer authenticate with it. */
    EXPIRED,
    /** A newer certificate was issued to the same device; nothing further is reported for this one. */
    SUPERSEDED;

    /** Parses a query parameter value (case-insensitive); null if it names no state. */
    public static RenewalState fromParameter(String value) {
        for (RenewalState state : values()) {
            if (state.name().equalsIgnoreCase(value)) {
                return state;
            }
        }
        return null;
    }
}
