package io.estuary.renewal.domain;

import java.time.Instant;

/** One certificate issued to a device, its renewal schedule and which renewal events were published for it. */
public record TrackedCertificate(String serialNumber, String deviceId, String label, RenewalSchedule schedule,
        Instant trackedAt, String supersededBy, Instant supersededAt, Instant dueSentAt, Instant overdueSentAt,
        Instant expiredSentAt) {

    public RenewalState stateAt(Instant now) {
        return supersededAt != null ? RenewalState.SUPERSEDED : schedule.stateAt(now);
    }
}
