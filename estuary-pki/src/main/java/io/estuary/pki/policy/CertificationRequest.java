package io.estuary.pki.policy;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.MalformedRequestException;

/** A parsed PKCS#10 request whose signature has been checked. Immutable. */
public final class CertificationRequest {
    // Bouncy Castle verifies EC signatures several times faster than Java 17's SunEC; not registered globally.
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final String DOES_NOT_VERIFY = "the CSR's signature does not verify with its public key";

    private final JcaPKCS10CertificationRequest request;
    private final Extensions extensions;
    private final PublicKey publicKey;

    private CertificationRequest(Parsed parsed, PublicKey publicKey) {
        this.request = parsed.request();
        this.extensions = parsed.extensions();
        this.publicKey = publicKey;
    }

    /** A request whose structure was checked ({@link CsrStructure}), and the extensions it asks for. */
    private record Parsed(JcaPKCS10CertificationRequest request, Extensions extensions) {
    }

    /** Parses base64 DER as found in an EST body and verifies the proof of possession. */
    public static CertificationRequest fromBody(String base64Body) {
        return fromDer(Base64Body.decode(base64Body));
    }

    /** Parses DER and verifies the proof of possession (the CSR's signature with its own public key). */
    public static CertificationRequest fromDer(byte[] der) {
        return fromDer(der, CsrSignature.nativeProvider().orElse(null));
    }

    /** With {@code nativeProvider} null, Bouncy Castle alone decides (as where AWS-LC does not load). */
    static CertificationRequest fromDer(byte[] der, java.security.Provider nativeProvider) {
        Parsed parsed = parse(der);
        var verdict = CsrSignature.check(parsed.request().toASN1Structure(), nativeProvider);
        if (verdict.isPresent()) {
            if (!verdict.get().valid()) {
                throw new InvalidCsrException(DOES_NOT_VERIFY);
            }
            PublicKey key = verdict.get().key();
            return new CertificationRequest(parsed, key != null ? key : publicKeyOf(parsed.request()));
        }
        CertificationRequest request = new CertificationRequest(parsed, publicKeyOf(parsed.request()));
        request.verifyWithBouncyCastle();
        return request;
    }

    /**
     * Parses DER without checking the signature: for a signer whose deployment relies on the frontend's check (see
     * the signer's {@code verify-proof-of-possession}); the profile policy is still applied to what is parsed.
     */
    public static CertificationRequest fromDerUnverified(byte[] der) {
        Parsed parsed = parse(der);
        return new CertificationRequest(parsed, publicKeyOf(parsed.request()));
    }

    private static Parsed parse(byte[] der) {
        JcaPKCS10CertificationRequest request;
        try {
            request = new JcaPKCS10CertificationRequest(der).setProvider(BC);
        } catch (Exception e) {
            // BC throws IOException or runtime ASN.1 exceptions for garbage; both mean "not a CSR".
            throw new MalformedRequestException("body is not a DER PKCS#10 certification request");
        }
        return new Parsed(request, CsrStructure.check(request.toASN1Structure(), der));
    }

    private static PublicKey publicKeyOf(JcaPKCS10CertificationRequest request) {
        try {
            return request.getPublicKey();
        } catch (Exception e) {
            throw new InvalidCsrException("the CSR's public key cannot be read: unsupported algorithm or encoding");
        }
    }

    /** Who checks CSR signatures in this process (AWS-LC where it loads, else Bouncy Castle), for start-up logs. */
    public static String signatureCheckedBy() {
        return CsrSignature.checkedBy();
    }

    private void verifyWithBouncyCastle() {
        try {
            boolean valid = request.isSignatureValid(
                    new JcaContentVerifierProviderBuilder().setProvider(BC).build(publicKey));
            if (!valid) {
                throw new InvalidCsrException(DOES_NOT_VERIFY);
            }
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            if (e instanceof InvalidCsrException ice) {
                throw ice;
            }
            throw new InvalidCsrException("the CSR's signature cannot be checked: " + e.getMessage());
        }
    }

    /**
     * A request for a key pair generated on the server (RFC 7030 §4.4): the subject and requested extensions of this
     * request, the generated public key, signed by the generated private key.
     */
    public CertificationRequest forGeneratedKey(java.security.KeyPair generated) {
        try {
            var builder = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(subject(),
                    generated.getPublic());
            Extensions extensions = requestedExtensions();
            if (extensions != null) {
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions);
            }
            String algorithm = "EC".equals(generated.getPrivate().getAlgorithm()) ? "SHA256withECDSA"
                    : "SHA256withRSA";
            var signed = builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(algorithm)
                    .setProvider(BC).build(generated.getPrivate()));
            return fromDer(signed.getEncoded());
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the request for the generated key", e);
        }
    }

    public X500Name subject() {
        return request.getSubject();
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The OID of the key's named curve as the request states it, or null for an RSA key. */
    public org.bouncycastle.asn1.ASN1ObjectIdentifier namedCurve() {
        var parameters = request.getSubjectPublicKeyInfo().getAlgorithm().getParameters();
        return parameters instanceof org.bouncycastle.asn1.ASN1ObjectIdentifier oid ? oid : null;
    }

    /** The extensions the requester asked for (PKCS#9 extensionRequest), or null. */
    public Extensions requestedExtensions() {
        return extensions;
    }

    public Extension requestedExtension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        Extensions extensions = requestedExtensions();
        return extensions == null ? null : extensions.getExtension(oid);
    }

    /**
     * The subjectAltName the CSR asks for, each entry checked for its syntax (and wildcards against the profile), or
     * null when it asks for none.
     */
    public org.bouncycastle.asn1.x509.GeneralNames subjectAltName(CertificateProfile profile) {
        Extension extension = requestedExtension(Extension.subjectAlternativeName);
        return extension == null ? null : NameSyntax.subjectAltName(extension, profile);
    }

    /** The OID of the algorithm the CSR is signed with. */
    public org.bouncycastle.asn1.ASN1ObjectIdentifier signatureAlgorithm() {
        return request.getSignatureAlgorithm().getAlgorithm();
    }

    /** A short description of the key, e.g. {@code EC P-256} or {@code RSA 2048}, for messages and audit. */
    public String keyDescription() {
        if (publicKey instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (publicKey instanceof ECPublicKey ec) {
            return "EC " + ec.getParams().getCurve().getField().getFieldSize();
        }
        return publicKey.getAlgorithm();
    }

    public byte[] encoded() {
        try {
            return request.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
