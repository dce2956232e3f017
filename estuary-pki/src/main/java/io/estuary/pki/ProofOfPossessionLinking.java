package io.estuary.pki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * RFC 7030 §3.5: on a profile that requires it, the CSR's challengePassword must hold the channel binding of the TLS
 * connection it was sent on, so a CSR signed by one party cannot be forwarded by another over its own connection.
 * Checked by the frontend, the only part that knows the connection.
 */
public final class ProofOfPossessionLinking {
    private ProofOfPossessionLinking() {
    }

    /**
     * @param binding the channel binding of the request's connection; empty where the connection has none (not TLS,
     *                or a TLS implementation that does not export it)
     */
    public static void check(CertificationRequest csr, CertificateProfile profile, Optional<ChannelBinding> binding) {
        if (!profile.requireChannelBinding()) {
            return;
        }
        if (binding.isEmpty()) {
            throw new InvalidCsrException("profile '" + profile.name() + "' links the CSR to the TLS channel"
                    + " (RFC 7030 §3.5), and this connection has no channel binding the server can read: connect with"
                    + " TLS 1.2 and put its tls-unique value, base64-encoded, in the CSR's challengePassword");
        }
        String expected = binding.get().challengePassword();
        Optional<String> password = csr.challengePassword();
        if (password.isEmpty()) {
            throw new InvalidCsrException("profile '" + profile.name() + "' links the CSR to the TLS channel"
                    + " (RFC 7030 §3.5): put this connection's " + binding.get().type()
                    + " value, base64-encoded, in the CSR's challengePassword");
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                password.get().strip().getBytes(StandardCharsets.UTF_8))) {
            throw new InvalidCsrException("the CSR's challengePassword is not this TLS connection's "
                    + binding.get().type() + " value: the CSR was made for another connection");
        }
    }
}
