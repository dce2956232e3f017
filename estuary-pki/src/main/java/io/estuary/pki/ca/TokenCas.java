package io.estuary.pki.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.estuary.pki.token.Pkcs11Token;

/**
 * Creates CAs inside a PKCS#11 token: every key is generated in the token, sensitive and never extractable, and its
 * certificate (or chain) is stored next to it under the CA's alias. The operator's CA commands are built on this.
 */
public final class TokenCas {

    /** The key types a CA key may have, by the names the operator types. */
    public enum KeyType {
        EC_P256("EC-P256"), EC_P384("EC-P384"), RSA_2048("RSA-2048"), RSA_3072("RSA-3072");

        private final String label;

        KeyType(String label) {
            this.label = label;
        }

        public static KeyType of(String label) {
            return Arrays.stream(values()).filter(type -> type.label.equals(label)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unsupported key type " + label
                            + " (EC-P256, EC-P384, RSA-2048, RSA-3072)"));
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Pkcs11Token token;

    public TokenCas(Pkcs11Token token) {
        this.token = token;
    }

    /** A self-signed root whose key is made in the token; refuses an alias the token already holds. */
    public X509Certificate createRoot(String alias, X500Name subject, KeyType keyType, Duration validity,
            Instant now) {
        refuseExisting(alias);
        KeyPair keyPair = generate(keyType);
        X509Certificate certificate = CertificateAuthority.selfSignedRoot(subject, keyPair.getPublic(),
                keyPair.getPrivate(), token.provider(), validity, now);
        token.storeCertificate(alias, keyPair.getPrivate(), certificate);
        return certificate;
    }

    /** An issuing CA signed by the token's CA {@code issuerAlias}; returns its chain, its own certificate first. */
    public List<X509Certificate> createIssuing(String alias, String issuerAlias, X500Name subject, KeyType keyType,
            Duration validity, Instant now) {
        refuseExisting(alias);
        CertificateAuthority issuer = CertificateAuthority.inToken(token, issuerAlias);
        KeyPair keyPair = generate(keyType);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(issuer.issueSubordinateCa(subject, keyPair.getPublic(), validity, now));
        chain.addAll(issuer.chain());
        token.storeCertificate(alias, keyPair.getPrivate(), chain.toArray(X509Certificate[]::new));
        return chain;
    }

    /** A key for a CA that an external root will certify, and the CSR to send it; {@link #importChain} completes it. */
    public PKCS10CertificationRequest request(String alias, X500Name subject, KeyType keyType, Instant now) {
        refuseExisting(alias);
        KeyPair keyPair = generate(keyType);
        // A placeholder self-signed certificate keeps the key addressable until the signed one is imported.
        token.storeCertificate(alias, keyPair.getPrivate(), CertificateAuthority.selfSignedRoot(subject,
                keyPair.getPublic(), keyPair.getPrivate(), token.provider(), Duration.ofDays(30), now));
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
                    .build(new JcaContentSignerBuilder(CertificateAuthority.signatureAlgorithm(keyPair.getPrivate(),
                            keyPair.getPublic())).setProvider(token.provider()).build(keyPair.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the CSR in the token: " + e.getMessage(), e);
        }
    }

    /**
     * Stores the signed chain of a key made by {@link #request}: its first certificate must carry that key and be a CA
     * certificate, and each certificate must be signed by the next.
     */
    public void importChain(String alias, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the chain holds no certificate");
        }
        CertificateAuthority current = CertificateAuthority.inToken(token, alias);
        if (!chain.get(0).getPublicKey().equals(current.certificate().getPublicKey())) {
            throw new IllegalArgumentException("the certificate's key is not the key of '" + alias + "'");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certificate " + i + " of the chain is not signed by certificate "
                        + (i + 1));
            }
        }
        if (chain.get(0).getBasicConstraints() < 0) {
            throw new IllegalArgumentException("the imported certificate is not a CA certificate");
        }
        token.storeCertificate(alias, token.privateKey(alias), chain.toArray(X509Certificate[]::new));
    }

    /**
     * The newest delegated OCSP responder of the token's CA {@code caAlias}: the alias among
     * {@code <caAlias>-ocsp-<epoch second>} with the latest time whose certificate is the CA's (a key still waiting
     * for its certificate, {@link #requestOcspResponder}, holds a self-signed placeholder and is passed over), if any.
     */
    public static java.util.Optional<String> ocspResponderAlias(Pkcs11Token token, String caAlias) {
        String prefix = caAlias + "-ocsp-";
        return token.aliases().stream().filter(alias -> alias.startsWith(prefix)
                && alias.substring(prefix.length()).matches("[0-9]{1,19}") && !placeholder(token.certificate(alias)))
                .max(java.util.Comparator.comparingLong(alias -> Long.parseLong(alias.substring(prefix.length()))));
    }

    /**
     * The certificate of the CA that certified the responder key {@code responderAlias}: the CA's own entry where the
     * CA lives in this token, else the issuer stored with the responder's certificate ({@link #importOcspResponder}).
     *
     * @throws IllegalStateException if neither is there, or the responder's certificate is not signed by it
     */
    public static X509Certificate ocspResponderCa(Pkcs11Token token, String caAlias, String responderAlias) {
        X509Certificate responder = token.certificate(responderAlias);
        X509Certificate ca;
        if (token.contains(caAlias)) {
            ca = token.certificate(caAlias);
        } else {
            java.security.cert.Certificate[] chain = token.keyEntry(responderAlias).getCertificateChain();
            if (chain.length < 2) {
                throw new IllegalStateException("the token holds neither CA '" + caAlias
                        + "' nor its certificate with the responder key '" + responderAlias + "'");
            }
            ca = (X509Certificate) chain[1];
        }
        try {
            responder.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the responder certificate of '" + responderAlias
                    + "' is not signed by the certificate of CA '" + caAlias + "' (" + ca.getSubjectX500Principal()
                    + ")");
        }
        return ca;
    }

    /**
     * Issues (or rolls: each call makes a new one) the delegated OCSP responder of the token's CA {@code caAlias}: a
     * key made in the token, the same type as the CA's, under {@code <caAlias>-ocsp-<epoch second>}, and its
     * certificate signed by the CA. Returns the alias and the chain, the responder's certificate first. Earlier
     * responder keys stay (SunPKCS11 cannot delete an entry without the certificates of its issuers): responders use
     * the newest, see {@link #ocspResponderAlias}.
     */
    public java.util.Map.Entry<String, List<X509Certificate>> issueOcspResponder(String caAlias, Duration validity,
            Instant now) {
        CertificateAuthority ca = CertificateAuthority.inToken(token, caAlias);
        String alias = nextOcspResponderAlias(caAlias, now);
        KeyPair keyPair = generate(keyTypeOf(ca.certificate()));
        List<X509Certificate> chain = certifyOcspResponder(ca, keyPair.getPublic(), validity, now);
        // The responder's certificate alone: readers take the CA's certificate from the CA's alias.
        token.storeCertificate(alias, keyPair.getPrivate(), chain.get(0));
        return java.util.Map.entry(alias, chain);
    }

    /**
     * A responder key for CA {@code caAlias} in this token, which holds the responder keys but not the CA (a token or
     * partition of the responders' own, whose PIN the signers' is not): made under the next
     * {@code <caAlias>-ocsp-<epoch second>}, with a placeholder certificate until {@link #importOcspResponder} stores
     * the CA's. Returns the alias and the CSR for the CA's token ({@link #certifyOcspResponder(String,
     * PKCS10CertificationRequest, Duration, Instant)}).
     */
    public java.util.Map.Entry<String, PKCS10CertificationRequest> requestOcspResponder(String caAlias,
            KeyType keyType, Instant now) {
        String alias = nextOcspResponderAlias(caAlias, now);
        KeyPair keyPair = generate(keyType);
        X500Name subject = new X500Name("CN=" + alias);
        token.storeCertificate(alias, keyPair.getPrivate(), CertificateAuthority.selfSignedRoot(subject,
                keyPair.getPublic(), keyPair.getPrivate(), token.provider(), Duration.ofDays(30), now));
        try {
            return java.util.Map.entry(alias, new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
                    .build(new JcaContentSignerBuilder(CertificateAuthority.signatureAlgorithm(keyPair.getPrivate(),
                            keyPair.getPublic())).setProvider(token.provider()).build(keyPair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the CSR in the token: " + e.getMessage(), e);
        }
    }

    /**
     * The token's CA {@code caAlias} certifies a responder key made elsewhere ({@link #requestOcspResponder}): the
     * CSR's signature is checked; the subject and every extension are the CA's choice, as for its own responder keys.
     * Returns the chain, the responder's certificate first.
     */
    public List<X509Certificate> certifyOcspResponder(String caAlias, PKCS10CertificationRequest csr,
            Duration validity, Instant now) {
        checkResponderKey(csr.getSubjectPublicKeyInfo());
        PublicKey key;
        try {
            var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr);
            key = request.getPublicKey();
            if (!csr.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .build(key))) {
                throw new IllegalArgumentException("the CSR's signature does not verify: its key did not sign it");
            }
        } catch (GeneralSecurityException | OperatorCreationException | org.bouncycastle.pkcs.PKCSException e) {
            throw new IllegalArgumentException("cannot read the CSR: " + e.getMessage(), e);
        }
        return certifyOcspResponder(CertificateAuthority.inToken(token, caAlias), key, validity, now);
    }

    /**
     * Stores the chain the CA's token issued ({@link #certifyOcspResponder(String, PKCS10CertificationRequest,
     * Duration, Instant)}) with the responder key of CA {@code caAlias} it certifies; from then on responders sign with
     * it (the newest). Returns the key's alias.
     */
    public String importOcspResponder(String caAlias, List<X509Certificate> chain) {
        if (chain.size() < 2) {
            throw new IllegalArgumentException("the chain holds the responder's certificate and its CA's, at least");
        }
        X509Certificate responder = chain.get(0);
        try {
            if (responder.getExtendedKeyUsage() == null
                    || !responder.getExtendedKeyUsage().contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                throw new IllegalArgumentException("the first certificate is not an OCSP responder's (no "
                        + "id-kp-OCSPSigning)");
            }
            responder.verify(chain.get(1).getPublicKey());
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalArgumentException("cannot read the responder's certificate: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the responder's certificate is not signed by the certificate after it");
        }
        String prefix = caAlias + "-ocsp-";
        String alias = token.aliases().stream().filter(a -> a.startsWith(prefix)
                && token.certificate(a).getPublicKey().equals(responder.getPublicKey())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no responder key of CA '" + caAlias
                        + "' in this token has the certificate's key"));
        token.storeCertificate(alias, token.privateKey(alias), chain.toArray(X509Certificate[]::new));
        return alias;
    }

    /** A responder key the CA certifies: EC on P-256 or P-384, or RSA of 2048 to 4096 bits, as its own keys. */
    private static void checkResponderKey(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo key) {
        var algorithm = key.getAlgorithm();
        if (org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            if (org.bouncycastle.asn1.x9.X9ObjectIdentifiers.prime256v1.equals(algorithm.getParameters())
                    || org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp384r1.equals(algorithm.getParameters())) {
                return;
            }
            throw new IllegalArgumentException("the CSR's EC key is not on P-256 or P-384");
        }
        if (org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption.equals(algorithm.getAlgorithm())) {
            int bits;
            try {
                bits = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(key.parsePublicKey()).getModulus()
                        .bitLength();
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("the CSR's RSA key cannot be read");
            }
            if (bits >= 2048 && bits <= 4096) {
                return;
            }
            throw new IllegalArgumentException("the CSR's RSA key has " + bits + " bits, not 2048 to 4096");
        }
        throw new IllegalArgumentException("the CSR's key is neither EC (P-256, P-384) nor RSA: "
                + algorithm.getAlgorithm());
    }

    /** Newer than the newest responder alias of the CA, so a roll within the same second still wins. */
    private String nextOcspResponderAlias(String caAlias, Instant now) {
        String prefix = caAlias + "-ocsp-";
        long second = token.aliases().stream().filter(alias -> alias.startsWith(prefix)
                && alias.substring(prefix.length()).matches("[0-9]{1,19}"))
                .mapToLong(alias -> Long.parseLong(alias.substring(prefix.length())) + 1)
                .reduce(now.getEpochSecond(), Math::max);
        return prefix + second;
    }

    private static List<X509Certificate> certifyOcspResponder(CertificateAuthority ca, PublicKey key,
            Duration validity, Instant now) {
        X500Name subject = new X500Name(ca.certificate().getSubjectX500Principal().getName() + ",OU=OCSP Responder");
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(ca.issueOcspResponder(subject, key, validity, now));
        chain.addAll(ca.chain());
        return chain;
    }

    private static boolean placeholder(X509Certificate certificate) {
        return certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
    }

    private static KeyType keyTypeOf(X509Certificate certificate) {
        if (certificate.getPublicKey() instanceof java.security.interfaces.ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? KeyType.EC_P384 : KeyType.EC_P256;
        }
        if (certificate.getPublicKey() instanceof java.security.interfaces.RSAPublicKey rsa) {
            return rsa.getModulus().bitLength() > 2048 ? KeyType.RSA_3072 : KeyType.RSA_2048;
        }
        throw new IllegalStateException("unsupported CA key " + certificate.getPublicKey().getAlgorithm());
    }

    private KeyPair generate(KeyType keyType) {
        try {
            KeyPairGenerator generator;
            switch (keyType) {
                case EC_P256, EC_P384 -> {
                    generator = KeyPairGenerator.getInstance("EC", token.provider());
                    generator.initialize(new ECGenParameterSpec(keyType == KeyType.EC_P256 ? "secp256r1"
                            : "secp384r1"));
                }
                default -> {
                    generator = KeyPairGenerator.getInstance("RSA", token.provider());
                    generator.initialize(new RSAKeyGenParameterSpec(keyType == KeyType.RSA_2048 ? 2048 : 3072,
                            RSAKeyGenParameterSpec.F4));
                }
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key generation in the token failed: " + e.getMessage(), e);
        }
    }

    private void refuseExisting(String alias) {
        if (token.contains(alias)) {
            throw new IllegalStateException("the token already holds a CA under alias '" + alias
                    + "'; use export to write its certificate");
        }
    }
}
