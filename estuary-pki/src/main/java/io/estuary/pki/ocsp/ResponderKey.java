package io.estuary.pki.ocsp;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;

/**
 * A CA's delegated OCSP responder: its certificate (issued by the CA with id-kp-OCSPSigning) and key, which may be a
 * token handle of the provider given.
 *
 * @param alias       the CA's alias in the token
 * @param ca          the CA's certificate
 * @param certificate the responder's certificate
 * @param key         the responder's private key
 * @param provider    the provider that owns the key
 */
public record ResponderKey(String alias, X509Certificate ca, X509Certificate certificate, PrivateKey key,
        Provider provider) {
}
