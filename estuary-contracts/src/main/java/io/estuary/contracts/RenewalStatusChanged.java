package io.estuary.contracts;

import java.time.Instant;

/**
 * A tracked certificate entered a renewal state. Published once per certificate and status.
 *
 * @param eventId      unique id, derived from serial number and status so that a repeat is recognisable
 * @param deviceId     the device the certificate names
 * @param label        the EST label it was issued on
 * @param serialNumber the certificate's serial number, lower-case hex
 * @param status       due (renewal window entered), overdue (window plus grace passed), expired
 * @param renewAt      the certificate's renewal point
 * @param notAfter     the certificate's end of validity
 * @param at           when the scheduler noticed
 */
public record RenewalStatusChanged(String eventId, String deviceId, String label, String serialNumber, Status status,
        Instant renewAt, Instant notAfter, Instant at) {

    public enum Status {
        DUE,
        OVERDUE,
        EXPIRED
    }

    public static String eventIdFor(String serialNumber, Status status) {
        return serialNumber + ":" + status.name().toLowerCase(java.util.Locale.ROOT);
    }
}
