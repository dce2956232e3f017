package io.estuary.frontend.domain;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A CA's chain as the signer last published it.
 *
 * @param chain       the CA's certificate first, then its issuers
 * @param publishedAt when the signer published it
 */
public record HeldChain(String alias, List<X509Certificate> chain, Instant publishedAt) {
    public HeldChain {
        chain = List.copyOf(chain);
    }
}
