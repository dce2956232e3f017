package io.estuary.contracts;

import java.time.Instant;

/**
 * An operator revoked a certificate; final. Published on a compacted topic keyed by {@link #key()}, so that reading
 * the topic from its start gives every revocation: the frontends refuse revoked certificates from it, the signer
 * builds its CRLs from it, and a replay rebuilds the revocation state of the audit trail and the renewal tracker.
 *
 * @param issuer         the issuing CA's subject (RFC 2253, as {@link IssuanceResult#issuer()} has it)
 * @param serialNumber   the certificate's serial number, lower-case hex
 * @param deviceId       the device the certificate was issued to
 * @param reason         why (RFC 5280 CRLReason)
 * @param invalidityDate when the key is known or suspected to have been compromised, or null (RFC 5280 §5.3.2)
 * @param revokedAt      when the revocation was recorded: the CRL's revocationDate
 * @param revokedBy      the operator who asked for it (the bearer token's user)
 */
public record CertificateRevoked(String issuer, String serialNumber, String deviceId, RevocationReason reason,
        Instant invalidityDate, Instant revokedAt, String revokedBy) {

    /** The record key: one record per certificate. */
    public String key() {
        return keyOf(issuer, serialNumber);
    }

    public static String keyOf(String issuer, String serialNumber) {
        return serialNumber + "@" + issuer;
    }
}
