package io.estuary.renewal.rest;

import java.time.Instant;

import io.estuary.contracts.CertificateRevoked;

/** A revocation as the API shows it: the reason by its RFC 5280 name and code. */
public record RevocationView(String issuer, String serialNumber, String deviceId, String reason, int reasonCode,
        Instant invalidityDate, Instant revokedAt, String revokedBy) {

    static RevocationView of(CertificateRevoked r) {
        return new RevocationView(r.issuer(), r.serialNumber(), r.deviceId(), r.reason().rfcName(), r.reason().code(),
                r.invalidityDate(), r.revokedAt(), r.revokedBy());
    }
}
