package io.estuary.renewal.domain;

import java.time.Instant;

/**
 * One certificate issued to a device, its renewal schedule and which renewal events were published for it. The issuer
 * (RFC 2253) is null for a certificate tracked before the tracker recorded issuers.
 */
public record TrackedCertificate(String serialNumber, String deviceId, String label, String issuer,
        RenewalSchedule schedule,
        Instant trackedAt, String supersededBy, Instant supersededAt, Instant dueSentAt, Instant overdueSentAt,
        Instant expiredSentAt) {

    public RenewalState stateAt(Instant now) {
        return supersededAt != null ? RenewalState.SUPERSEDED : schedule.stateAt(now);
    }
}
