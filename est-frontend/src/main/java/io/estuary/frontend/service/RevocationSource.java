package io.estuary.frontend.service;

import java.security.cert.X509Certificate;
import java.util.Optional;

import io.estuary.contracts.CertificateRevoked;

/** The revocations operators made, as this instance has read them. */
public interface RevocationSource {
    /** The certificate's revocation, if it was revoked. */
    Optional<CertificateRevoked> revocationOf(X509Certificate certificate);

    /** Whether every revocation published before this instance started has been read. */
    boolean caughtUp();
}
