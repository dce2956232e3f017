package io.estuary.pki.ca;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V2TBSCertListGenerator;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.CsrPolicy;
import io.estuary.pki.policy.InvalidCsrException;
import io.estuary.pki.policy.ProfilePolicies;
import io.estuary.pki.token.Pkcs11Token;
import io.estuary.pki.token.TokenUnavailableException;

/**
 * A CA that signs with a key it never sees: the private key is a handle into a provider (an HSM through SunPKCS11 in
 * production, a software key in unit tests). Issuing throws {@link InvalidCsrException} for a request the profile
 * refuses, {@link TokenUnavailableException} when the key's provider fails to sign, and a plain
 * {@link IllegalStateException} for a certificate that cannot be assembled.
 */
public final class CertificateAuthority {
    // Skew allowance so a device whose clock is slightly behind accepts a fresh certificate.
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final PrivateKey signingKey;
    private final Provider signingProvider;
    private final SecureRandom random = new SecureRandom();
    // Fixed per CA, so computed once rather than for every certificate.
    private final X500Name issuerName;
    private final String issuerRfc2253;
    private final org.bouncycastle.asn1.x509.AuthorityKeyIdentifier authorityKeyIdentifier;

    /** The CA whose key and certificate chain are stored under {@code alias} in the token. */
    public static CertificateAuthority inToken(Pkcs11Token token, String alias) {
        KeyStore.PrivateKeyEntry entry = token.keyEntry(alias);
        return new CertificateAuthority(Arrays.stream(entry.getCertificateChain()).map(X509Certificate.class::cast)
                .toList(), entry.getPrivateKey(), token.provider());
    }

    /**
     * @param chain           the CA's certificate first, then its issuers up to the root
     * @param signingKey      the CA's private key (may be a non-extractable token handle)
     * @param signingProvider the provider that owns the key
     */
    public CertificateAuthority(List<X509Certificate> chain, PrivateKey signingKey, Provider signingProvider) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a CA needs its certificate");
        }
        this.chain = List.copyOf(chain);
        this.certificate = chain.get(0);
        this.signingKey = signingKey;
        this.signingProvider = signingProvider;
        try {
            this.authorityKeyIdentifier = keyIdentifiers().createAuthorityKeyIdentifier(certificate);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        this.issuerName = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        this.issuerRfc2253 = IssuedCertificate.rfc2253(issuerName);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Issues a certificate for a request whose proof of possession was checked, as the profile says. The profile's
     * policy is applied here too, so no caller can skip it.
     */
    public IssuedCertificate issue(CertificationRequest request, CertificateProfile profile, Instant now) {
        CsrPolicy.check(request, profile);
        // Whole seconds, as the certificate encodes them; never before the CA's own validity (RFC 5280 §6.1.3).
        Instant notBefore = now.minus(BACKDATE).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant caNotBefore = certificate.getNotBefore().toInstant();
        if (notBefore.isBefore(caNotBefore)) {
            notBefore = caNotBefore;
        }
        Instant notAfter = now.plus(profile.validity()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter; // never outlive the issuer
        }
        if (!notAfter.isAfter(now)) {
            throw new InvalidCsrException("the issuing CA has expired");
        }
        PublicKey subjectKey = request.publicKey();
        X500Name subject = profile.subject()
                .orElseGet(() -> profile.commonName().map(cn -> new org.bouncycastle.asn1.x500.X500NameBuilder(
                        org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE)
                        .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, cn).build())
                        .orElse(request.subject()));
        boolean ca = profile.allowCa() && CsrPolicy.requestsCa(request);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serialNumber(),
                    Asn1Time.of(notBefore), Asn1Time.of(notAfter), subject,
                    SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
            if (ca) {
                // An Edge CA signs only end-entity certificates: pathlen 0, whatever the CSR asked.
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                int usage = KeyUsage.digitalSignature;
                if ("RSA".equals(subjectKey.getAlgorithm())) {
                    usage |= KeyUsage.keyEncipherment;
                }
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            }
            if (!profile.extendedKeyUsages().isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(profile.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    keyIdentifiers().createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            builder.addExtension(Extension.certificatePolicies, false, ProfilePolicies.policiesFor(profile.name()));
            if (profile.crlUrl().isPresent()) {
                builder.addExtension(Extension.cRLDistributionPoints, false, new org.bouncycastle.asn1.x509.CRLDistPoint(
                        new org.bouncycastle.asn1.x509.DistributionPoint[] { new org.bouncycastle.asn1.x509.DistributionPoint(
                                new org.bouncycastle.asn1.x509.DistributionPointName(new org.bouncycastle.asn1.x509.GeneralNames(
                                        uri(profile.crlUrl().get()))), null, null) }));
            }
            java.util.List<org.bouncycastle.asn1.x509.AccessDescription> access = new java.util.ArrayList<>();
            profile.caIssuersUrl().ifPresent(url -> access.add(new org.bouncycastle.asn1.x509.AccessDescription(
                    org.bouncycastle.asn1.x509.AccessDescription.id_ad_caIssuers, uri(url))));
            profile.ocspUrl().ifPresent(url -> access.add(new org.bouncycastle.asn1.x509.AccessDescription(
                    org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp, uri(url))));
            if (!access.isEmpty()) {
                builder.addExtension(Extension.authorityInfoAccess, false,
                        new org.bouncycastle.asn1.x509.AuthorityInformationAccess(
                                access.toArray(org.bouncycastle.asn1.x509.AccessDescription[]::new)));
            }
            org.bouncycastle.asn1.x509.GeneralNames san = profile.copySubjectAltName()
                    ? request.subjectAltName(profile) : null;
            if (san != null) {
                // Critical exactly when the subject is empty (RFC 5280 §4.2.1.6).
                builder.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0, san);
            }
            return new IssuedCertificate(builder.build(signer()), notBefore, notAfter, issuerRfc2253);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot assemble certificate", e);
        }
    }

    private static org.bouncycastle.asn1.x509.GeneralName uri(String url) {
        return new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier,
                url);
    }

    /** Positive, non-zero, 128 random bits: unpredictable and fits the 20-octet limit of RFC 5280. */
    private BigInteger serialNumber() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() == 0);
        return serial;
    }

    /**
     * Key identifiers (RFC 5280 method 1, SHA-1 of the key) from a digest of their own: the extension utilities hold
     * one MessageDigest, and a CA shared by the signing threads once corrupted it (wrong identifiers, or an
     * ArrayIndexOutOfBoundsException inside SHA-1).
     */
    private static JcaX509ExtensionUtils keyIdentifiers() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 for key identifiers", e);
        }
    }

    /**
     * The CA key's signer. A failure of the key's provider while it signs is the token's (removed, logged out, a
     * session or key handle lost: SunPKCS11 reports these as ProviderException, or as an InvalidKeyException for a
     * handle of a token that is gone), so it is a {@link TokenUnavailableException}; an algorithm the provider lacks is
     * a plain fault of the configuration.
     */
    private ContentSigner signer() {
        ContentSigner signer;
        try {
            signer = new JcaContentSignerBuilder(signatureAlgorithm(signingKey, certificate.getPublicKey()))
                    .setProvider(signingProvider).build(signingKey);
        } catch (OperatorCreationException e) {
            if (e.getCause() instanceof InvalidKeyException) {
                throw tokenFailed(e.getCause());
            }
            throw new IllegalStateException("cannot sign with the CA key", e);
        } catch (ProviderException e) {
            throw tokenFailed(e);
        }
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return signer.getAlgorithmIdentifier();
            }

            @Override
            public OutputStream getOutputStream() {
                return new FilterOutputStream(signer.getOutputStream()) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                        try {
                            out.write(bytes, offset, length);
                        } catch (IOException | ProviderException e) {
                            throw tokenFailed(e);
                        }
                    }

                    @Override
                    public void write(int b) {
                        try {
                            out.write(b);
                        } catch (IOException | ProviderException e) {
                            throw tokenFailed(e);
                        }
                    }
                };
            }

            @Override
            public byte[] getSignature() {
                try {
                    return signer.getSignature();
                } catch (RuntimeOperatorException | ProviderException e) {
                    throw tokenFailed(e);
                }
            }
        };
    }

    private TokenUnavailableException tokenFailed(Throwable cause) {
        Throwable reason = cause.getCause() != null ? cause.getCause() : cause;
        return new TokenUnavailableException("the token failed to sign with the key of CA "
                + issuerRfc2253 + ": " + reason, cause);
    }

    /** The signature algorithm for a CA key: SHA-384 for P-384 and larger curves, SHA-256 otherwise. */
    public static String signatureAlgorithm(PrivateKey key, PublicKey publicKey) {
        if ("EC".equals(key.getAlgorithm())) {
            int fieldSize = publicKey instanceof ECKey ec ? ec.getParams().getCurve().getField().getFieldSize() : 256;
            return fieldSize > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return "SHA256withRSA";
    }

    /**
     * Signs a subordinate (issuing) CA certificate for a key generated elsewhere in the token: {@code CA:TRUE,
     * pathlen:0}, keyCertSign and cRLSign, never outliving this CA.
     */
    public X509Certificate issueSubordinateCa(X500Name subject, PublicKey publicKey, Duration validity, Instant now) {
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    keyIdentifiers().createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
        } catch (CertIOException | CertificateException e) {
            throw new IllegalStateException("cannot assemble the issuing CA certificate", e);
        }
    }

    /**
     * Signs the certificate of this CA's delegated OCSP responder (RFC 6960 §4.2.2.2): extended key usage
     * id-kp-OCSPSigning and the id-pkix-ocsp-nocheck extension (a client does not ask whether the responder's own
     * certificate is revoked, so it should be short-lived), digitalSignature only, never outliving this CA.
     */
    public X509Certificate issueOcspResponder(X500Name subject, PublicKey publicKey, Duration validity, Instant now) {
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            builder.addExtension(org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false,
                    org.bouncycastle.asn1.DERNull.INSTANCE);
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    keyIdentifiers().createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
        } catch (CertIOException | CertificateException e) {
            throw new IllegalStateException("cannot assemble the OCSP responder certificate", e);
        }
    }

    /**
     * Signs an RFC 5280 v2 CRL of this CA: issuer, thisUpdate and nextUpdate, one entry per revoked certificate (with
     * its reason code unless unspecified, and its invalidity date if known), the CRL number and the authority key
     * identifier extensions.
     *
     * @param crlNumber increases with every CRL the CA issues (RFC 5280 §5.2.3)
     * @return the CRL, DER
     */
    public byte[] crl(Collection<RevokedEntry> revoked, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate) {
        // BC's lower-level generator, because X509v2CRLBuilder converts each entry's Date with a SimpleDateFormat:
        // most of the time of a CRL of 100,000 entries. Asn1Time writes the same encoding directly.
        ContentSigner signer = signer();
        V2TBSCertListGenerator tbs = new V2TBSCertListGenerator();
        tbs.setSignature(signer.getAlgorithmIdentifier());
        tbs.setIssuer(issuerName);
        tbs.setThisUpdate(Asn1Time.of(thisUpdate));
        tbs.setNextUpdate(Asn1Time.of(nextUpdate));
        for (RevokedEntry entry : revoked) {
            ASN1Integer serial = new ASN1Integer(entry.serialNumber());
            Time revokedAt = Asn1Time.of(entry.revokedAt());
            if (entry.invalidityDate() == null) {
                tbs.addCRLEntry(serial, revokedAt, entry.reasonCode());
            } else {
                tbs.addCRLEntry(serial, revokedAt, entry.reasonCode(), Asn1Time.generalized(entry.invalidityDate()));
            }
        }
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            extensions.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            tbs.setExtensions(extensions.generate());
            TBSCertList list = tbs.generateTBSCertList();
            try (OutputStream out = signer.getOutputStream()) {
                list.encodeTo(out, ASN1Encoding.DER);
            }
            return new DERSequence(new ASN1Encodable[] { list, signer.getAlgorithmIdentifier(),
                    new DERBitString(signer.getSignature()) }).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot assemble the CRL", e);
        }
    }

    /** Builds a self-signed root CA certificate for a key pair (used when creating a CA inside the token). */
    public static X509Certificate selfSignedRoot(X500Name subject, PublicKey publicKey, PrivateKey privateKey,
            Provider provider, Duration validity, Instant now) {
        try {
            JcaX509ExtensionUtils utils = keyIdentifiers();
            BigInteger serial = new BigInteger(128, new SecureRandom()).setBit(0);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(privateKey, publicKey))
                    .setProvider(provider).build(privateKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the CA certificate", e);
        }
    }
}
