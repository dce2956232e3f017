package io.estuary.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A CA's certificate chain as the signer holds it, published on a compacted topic keyed by alias: frontends learn
 * what {@code /cacerts} serves from here, never from key material or the token.
 *
 * @param alias       the CA's alias in the token (profiles name it)
 * @param chain       the CA's certificate first, then its issuers; each base64 DER
 * @param publishedAt when the signer published it
 */
public record CaChainPublished(String alias, List<String> chain, Instant publishedAt) {
}
