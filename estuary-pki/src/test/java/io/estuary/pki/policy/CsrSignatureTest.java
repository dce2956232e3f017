package io.estuary.pki.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.Provider;
import java.util.Optional;

import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.TestCsrs;

class CsrSignatureTest {
    private static final Provider NATIVE = CsrSignature.nativeProvider().orElse(null);

    @Test
    void theNativeProviderLoadsOnLinuxX86() {
        // The platform the build ships its native library for: if it stops loading, every check falls back silently.
        if ("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
            assertTrue(CsrSignature.nativeProvider().isPresent(), CsrSignature.checkedBy());
            assertTrue(CsrSignature.checkedBy().contains("AWS-LC"));
        }
    }

    @Test
    void theNativeCheckAcceptsWhatDevicesSign() {
        for (KeyPair key : new KeyPair[] { TestCsrs.ecP256(), TestCsrs.ec("secp384r1"), TestCsrs.rsa(2048) }) {
            assertEquals(Optional.of(true), valid(asn1(TestCsrs.csr("device", key))), key.getPublic().getAlgorithm());
            if (NATIVE != null) {
                // Its key is kept for the request, so Bouncy Castle does not read the key a second time.
                assertArrayEquals(key.getPublic().getEncoded(), CsrSignature.check(asn1(TestCsrs.csr("device", key)),
                        NATIVE).orElseThrow().key().getEncoded());
            }
        }
    }

    @Test
    void theNativeCheckRefusesAForeignOrAlteredSignature() {
        assertEquals(Optional.of(false), valid(asn1(TestCsrs.csrWithForeignSignature("d"))));
        byte[] der = TestCsrs.csr("device", TestCsrs.ecP256());
        der[der.length - 3] ^= 0x01; // inside the signature's s value
        assertEquals(Optional.of(false), valid(asn1(der)));
        assertThrows(InvalidCsrException.class, () -> io.estuary.pki.policy.CertificationRequest.fromDer(der));
    }

    @Test
    void algorithmsTheNativeCheckDoesNotCoverAreLeftToBouncyCastle() throws Exception {
        KeyPair rsa = TestCsrs.rsa(2048);
        byte[] pss = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=pss"), rsa.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSAandMGF1")
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(rsa.getPrivate()))
                .getEncoded();
        assertEquals(Optional.empty(), CsrSignature.check(asn1(pss), NATIVE));
        assertDoesNotThrow(() -> io.estuary.pki.policy.CertificationRequest.fromDer(pss));
        assertEquals(Optional.empty(), CsrSignature.check(asn1(TestCsrs.csr("d", rsa)), null));
    }

    @Test
    void withoutTheNativeProviderBouncyCastleDecidesTheSame() {
        byte[] valid = TestCsrs.csr("d", TestCsrs.ecP256());
        assertDoesNotThrow(() -> io.estuary.pki.policy.CertificationRequest.fromDer(valid, null));
        byte[] foreign = TestCsrs.csrWithForeignSignature("d");
        InvalidCsrException e = assertThrows(InvalidCsrException.class,
                () -> io.estuary.pki.policy.CertificationRequest.fromDer(foreign, null));
        assertEquals("the CSR's signature does not verify with its public key", e.getMessage());
        assertEquals(e.getMessage(), assertThrows(InvalidCsrException.class,
                () -> io.estuary.pki.policy.CertificationRequest.fromDer(foreign, NATIVE)).getMessage());
    }

    @Test
    void theKeyReadByTheNativeCheckIsTheKeyTheRequestCarries() throws Exception {
        for (KeyPair key : new KeyPair[] { TestCsrs.ecP256(), TestCsrs.ec("secp384r1"), TestCsrs.rsa(2048) }) {
            byte[] der = TestCsrs.csr("device", key);
            var checked = io.estuary.pki.policy.CertificationRequest.fromDer(der, NATIVE);
            var byBouncyCastle = io.estuary.pki.policy.CertificationRequest.fromDer(der, null);
            assertArrayEquals(key.getPublic().getEncoded(), checked.publicKey().getEncoded());
            assertArrayEquals(byBouncyCastle.publicKey().getEncoded(), checked.publicKey().getEncoded());
            assertEquals(byBouncyCastle.keyDescription(), checked.keyDescription());
        }
        // A compressed point: AWS-LC's key encodes uncompressed, unlike the request, so it is not kept and Bouncy
        // Castle reads the key as it always did (and also writes it uncompressed).
        KeyPair ec = TestCsrs.ecP256();
        var bcKey = (org.bouncycastle.jce.interfaces.ECPublicKey) java.security.KeyFactory.getInstance("EC",
                new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .generatePublic(new java.security.spec.X509EncodedKeySpec(ec.getPublic().getEncoded()));
        var compressedKey = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded()).getAlgorithm(),
                bcKey.getQ().getEncoded(true));
        byte[] der = new org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder(new X500Name("CN=compressed"),
                compressedKey).build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.getPrivate()))
                .getEncoded();
        var checked = io.estuary.pki.policy.CertificationRequest.fromDer(der, NATIVE);
        if (NATIVE != null) {
            assertNull(CsrSignature.check(asn1(der), NATIVE).orElseThrow().key());
        }
        assertArrayEquals(io.estuary.pki.policy.CertificationRequest.fromDer(der, null).publicKey().getEncoded(),
                checked.publicKey().getEncoded());
    }

    /** The verdict's validity alone. */
    private static Optional<Boolean> valid(CertificationRequest request) {
        return CsrSignature.check(request, NATIVE).map(CsrSignature.Verdict::valid);
    }

    private static CertificationRequest asn1(byte[] der) {
        return CertificationRequest.getInstance(der);
    }
}
