package io.estuary.frontend.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The certificate the EST listener presents, checked before it is served: a chain whose first certificate holds the
 * public half of the listener's key, each certificate signed by the one after it (clients build their path from it). A key that does not match its certificate would fail every handshake, so such a
 * pair (a half-written rotation, a key from another pair) is refused rather than served.
 */
public record ListenerCertificate(String subject, String serialNumber, Instant notAfter) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @throws IllegalArgumentException with the reason, if the chain is empty or out of order, or the key does not
     *         sign for its first certificate
     */
    public static ListenerCertificate of(X509Certificate[] chain, PrivateKey key) {
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("no certificate for the key");
        }
        X509Certificate leaf = chain[0];
        if (key == null) {
            throw new IllegalArgumentException("no key for the certificate " + leaf.getSubjectX500Principal());
        }
        if (!signsFor(key, leaf)) {
            throw new IllegalArgumentException("the key does not match the certificate "
                    + leaf.getSubjectX500Principal() + " (serial " + leaf.getSerialNumber().toString(16) + ")");
        }
        for (int i = 0; i + 1 < chain.length; i++) {
            if (!issuedBy(chain[i], chain[i + 1])) {
                throw new IllegalArgumentException("the chain is out of order: " + chain[i].getSubjectX500Principal()
                        + " is not signed by the certificate after it, " + chain[i + 1].getSubjectX500Principal());
            }
        }
        return new ListenerCertificate(leaf.getSubjectX500Principal().getName(),
                leaf.getSerialNumber().toString(16), leaf.getNotAfter().toInstant());
    }

    /** Whether it expires before the given instant. */
    public boolean expiresBefore(Instant instant) {
        return notAfter.isBefore(instant);
    }

    @Override
    public String toString() {
        return subject + " (serial " + serialNumber + ", valid until " + notAfter + ")";
    }

    private static boolean issuedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A signature by the key over random bytes, checked with the certificate's public key. */
    private static boolean signsFor(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> throw new IllegalArgumentException("a " + key.getAlgorithm()
                    + " key: the EST listener takes EC, RSA or EdDSA keys");
        };
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
