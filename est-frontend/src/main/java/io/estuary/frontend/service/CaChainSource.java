package io.estuary.frontend.service;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import io.estuary.frontend.domain.HeldChain;

/** The CA chains the signer publishes, as this instance has received them. */
public interface CaChainSource {
    /** The chain of a CA as certs-only DER, once the signer has published it. */
    Optional<byte[]> certsOnly(String alias);

    /** The certificates of the CAs Estuary signs with (each chain's first). */
    Collection<X509Certificate> signingCertificates();

    /** Every chain received so far, by CA alias. */
    Map<String, HeldChain> chains();

    boolean knows(String alias);
}
