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
}
