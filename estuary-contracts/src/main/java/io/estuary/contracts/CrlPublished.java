package io.estuary.contracts;

import java.time.Instant;

/**
 * A CA's current CRL, signed by the signer, published on a compacted topic keyed by the CA's alias: the revocation
 * responders serve the latest one per CA.
 *
 * @param alias      the CA's alias in the token (profiles name it)
 * @param issuer     the CA's subject (RFC 2253)
 * @param crlNumber  the CRL number, decimal; greater in every newer CRL of the CA
 * @param thisUpdate the CRL's thisUpdate
 * @param nextUpdate the CRL's nextUpdate: a newer CRL is published before it
 * @param entries    how many revoked certificates it lists
 * @param crl        the CRL, base64 DER
 */
public record CrlPublished(String alias, String issuer, String crlNumber, Instant thisUpdate, Instant nextUpdate,
        int entries, String crl) {
}
