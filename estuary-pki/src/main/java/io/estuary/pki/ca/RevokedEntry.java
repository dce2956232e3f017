package io.estuary.pki.ca;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A revoked certificate as a CRL lists it (RFC 5280 §5.3).
 *
 * @param serialNumber   the certificate's serial number
 * @param revokedAt      the revocationDate
 * @param reasonCode     the CRLReason code; 0 (unspecified) is left out of the entry, as RFC 5280 §5.3.1 asks
 * @param invalidityDate when the key is known or suspected compromised, or null
 */
public record RevokedEntry(BigInteger serialNumber, Instant revokedAt, int reasonCode, Instant invalidityDate) {
}
