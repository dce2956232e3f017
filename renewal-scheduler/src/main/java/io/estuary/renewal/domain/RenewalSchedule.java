package io.estuary.renewal.domain;

import java.time.Instant;

/**
 * The moments one certificate passes through: renewal point, overdue point (renewal point plus grace, never after
 * expiry, so that "overdue" is always reported before "expired") and expiry.
 */
public record RenewalSchedule(Instant notBefore, Instant notAfter, Instant renewAt, Instant overdueAt) {

    /** The state at {@code now} of a certificate that has not been superseded. */
    public RenewalState stateAt(Instant now) {
        if (!now.isBefore(notAfter)) {
            return RenewalState.EXPIRED;
        }
        if (!now.isBefore(overdueAt)) {
            return RenewalState.OVERDUE;
        }
        if (!now.isBefore(renewAt)) {
            return RenewalState.DUE;
        }
        return RenewalState.VALID;
    }
}
