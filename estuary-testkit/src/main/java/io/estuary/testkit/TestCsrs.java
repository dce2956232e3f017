package io.estuary.testkit;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Device keys and PKCS#10 requests as clients make them. */
public final class TestCsrs {
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private TestCsrs() {
    }

    public static KeyPair ecP256() {
        return generate("EC", new ECGenParameterSpec("secp256r1"), 0);
    }

    public static KeyPair ec(String curve) {
        return generate("EC", new ECGenParameterSpec(curve), 0);
    }

    public static KeyPair rsa(int bits) {
        return generate("RSA", null, bits);
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                generator.initialize(spec);
            } else {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DER PKCS#10 for {@code CN=<commonName>}, signed with the key pair's private key. */
    public static byte[] csr(String commonName, KeyPair keyPair) {
        return csr(commonName, keyPair, null, BC);
    }

    /** As {@link #csr(String, KeyPair)}, asking for the given extensions (PKCS#9 extensionRequest). */
    public static byte[] csr(String commonName, KeyPair keyPair, org.bouncycastle.asn1.x509.Extensions extensions) {
        return csr(commonName, keyPair, extensions, BC);
    }

    /** As {@link #csr(String, KeyPair)}, signed through the given provider (a load generator's fastest). */
    public static byte[] csr(String commonName, KeyPair keyPair, java.security.Provider signer) {
        return csr(commonName, keyPair, null, signer);
    }

    private static byte[] csr(String commonName, KeyPair keyPair, org.bouncycastle.asn1.x509.Extensions extensions,
            java.security.Provider signer) {
        try {
            String algorithm = "EC".equals(keyPair.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName),
                    keyPair.getPublic());
            if (extensions != null) {
                builder.addAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                        extensions);
            }
            // Bouncy Castle signs EC several times faster than the JDK 17 provider: load generators make thousands.
            return builder.build(new JcaContentSignerBuilder(algorithm).setProvider(signer).build(keyPair.getPrivate()))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What aziot-certd sends for an Edge CA: CA:TRUE, pathlen:0 and keyCertSign, both critical. */
    public static byte[] edgeCaCsr(String commonName, KeyPair keyPair) {
        try {
            var extensions = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
            extensions.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                    new org.bouncycastle.asn1.x509.BasicConstraints(0));
            extensions.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                    new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature
                            | org.bouncycastle.asn1.x509.KeyUsage.keyCertSign));
            return csr(commonName, keyPair, extensions.generate());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR carrying one key but signed by another: its proof of possession must fail. */
    public static byte[] csrWithForeignSignature(String commonName) {
        KeyPair claimed = ecP256();
        KeyPair signer = ecP256();
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), claimed.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A {@code CertificationRequestInfo} built field by field, so that tests can make what Bouncy Castle's builder
     * would not: another version, a subject value of any type, repeated or odd attributes.
     */
    public static org.bouncycastle.asn1.ASN1Sequence requestInfo(java.math.BigInteger version,
            org.bouncycastle.asn1.ASN1Encodable subject, org.bouncycastle.asn1.ASN1Encodable publicKeyInfo,
            org.bouncycastle.asn1.ASN1Encodable... attributes) {
        return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new org.bouncycastle.asn1.ASN1Integer(version), subject, publicKeyInfo,
                new org.bouncycastle.asn1.DERTaggedObject(false, 0, new org.bouncycastle.asn1.DERSet(attributes)) });
    }

    /** As {@link #requestInfo}, version 0, for the key pair's public key. */
    public static org.bouncycastle.asn1.ASN1Sequence requestInfo(org.bouncycastle.asn1.ASN1Encodable subject,
            KeyPair keyPair, org.bouncycastle.asn1.ASN1Encodable... attributes) {
        return requestInfo(java.math.BigInteger.ZERO, subject,
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded()),
                attributes);
    }

    /** DER PKCS#10 of a request info signed as it stands, with the named JCA algorithm (e.g. {@code MD5withRSA}). */
    public static byte[] signedRequest(org.bouncycastle.asn1.ASN1Encodable info, java.security.PrivateKey key,
            String algorithm) {
        try {
            var signer = new JcaContentSignerBuilder(algorithm).setProvider(BC).build(key);
            try (var out = signer.getOutputStream()) {
                out.write(info.toASN1Primitive().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
            }
            return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] { info,
                    signer.getAlgorithmIdentifier(), new org.bouncycastle.asn1.DERBitString(signer.getSignature()) })
                    .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** DER PKCS#10 for {@code CN=<commonName>} asking for the given subjectAltName entries. */
    public static byte[] csrWithSubjectAltName(String commonName, KeyPair keyPair,
            org.bouncycastle.asn1.x509.GeneralName... names) {
        try {
            var extensions = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
            extensions.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                    new org.bouncycastle.asn1.x509.GeneralNames(names));
            return csr(commonName, keyPair, extensions.generate());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#9 extensionRequest attribute holding these extensions as given (repeats included). */
    public static org.bouncycastle.asn1.pkcs.Attribute extensionRequest(
            org.bouncycastle.asn1.x509.Extension... extensions) {
        return new org.bouncycastle.asn1.pkcs.Attribute(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.DERSequence(extensions)));
    }
}
