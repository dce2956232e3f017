package io.estuary.renewal.rest;

import java.time.Instant;

import io.estuary.renewal.domain.RenewalState;
import io.estuary.renewal.domain.TrackedCertificate;

/** A tracked certificate as the API shows it, with its state at the time of the request. */
public record CertificateView(String deviceId, String label, String serialNumber, Instant notBefore,
        Instant notAfter, Instant renewAt, Instant overdueAt, RenewalState state, String supersededBy,
        Instant supersededAt, Instant dueNotifiedAt, Instant overdueNotifiedAt, Instant expiredNotifiedAt) {

    static CertificateView of(TrackedCertificate c, Instant now) {
        return new CertificateView(c.deviceId(), c.label(), c.serialNumber(), c.schedule().notBefore(),
                c.schedule().notAfter(), c.schedule().renewAt(), c.schedule().overdueAt(), c.stateAt(now),
                c.supersededBy(), c.supersededAt(), c.dueSentAt(), c.overdueSentAt(), c.expiredSentAt());
    }
}
