package io.estuary.pki;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
            assertEquals(Optional.of(true), CsrSignature.check(asn1(TestCsrs.csr("device", key)), NATIVE),
                    key.getPublic().getAlgorithm());
        }
    }

    @Test
    void theNativeCheckRefusesAForeignOrAlteredSignature() {
        assertEquals(Optional.of(false), CsrSignature.check(asn1(TestCsrs.csrWithForeignSignature("d")), NATIVE));
        byte[] der = TestCsrs.csr("device", TestCsrs.ecP256());
        der[der.length - 3] ^= 0x01; // inside the signature's s value
        assertEquals(Optional.of(false), CsrSignature.check(asn1(der), NATIVE));
        assertThrows(InvalidCsrException.class, () -> io.estuary.pki.CertificationRequest.fromDer(der));
    }

    @Test
    void algorithmsTheNativeCheckDoesNotCoverAreLeftToBouncyCastle() throws Exception {
        KeyPair rsa = TestCsrs.rsa(2048);
        byte[] pss = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=pss"), rsa.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSAandMGF1")
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(rsa.getPrivate()))
                .getEncoded();
        assertEquals(Optional.empty(), CsrSignature.check(asn1(pss), NATIVE));
        assertDoesNotThrow(() -> io.estuary.pki.CertificationRequest.fromDer(pss));
        assertEquals(Optional.empty(), CsrSignature.check(asn1(TestCsrs.csr("d", rsa)), null));
    }

    @Test
    void withoutTheNativeProviderBouncyCastleDecidesTheSame() {
        var valid = io.estuary.pki.CertificationRequest.fromDerUnverified(TestCsrs.csr("d", TestCsrs.ecP256()));
        assertDoesNotThrow(() -> valid.verifyProofOfPossession(null));
        var foreign = io.estuary.pki.CertificationRequest.fromDerUnverified(TestCsrs.csrWithForeignSignature("d"));
        InvalidCsrException e = assertThrows(InvalidCsrException.class, () -> foreign.verifyProofOfPossession(null));
        assertEquals("the CSR's signature does not verify with its public key", e.getMessage());
    }

    private static CertificationRequest asn1(byte[] der) {
        return CertificationRequest.getInstance(der);
    }
}
