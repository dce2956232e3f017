package io.estuary.pki.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.TestCsrs;

import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.token.TokenUnavailableException;
import io.estuary.pki.wire.CertsOnly;

public class CertificateAuthorityTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    public static CertificateAuthority softwareCa(Duration validity) {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=Test CA"), key.getPublic(),
                key.getPrivate(), BC, validity, Instant.now());
        return new CertificateAuthority(List.of(root), key.getPrivate(), BC);
    }

    @Test
    void issuesADeviceIdentityCertificate() throws Exception {
        CertificateAuthority ca = softwareCa(Duration.ofDays(365));
        KeyPair device = TestCsrs.ecP256();
        Instant now = Instant.now();
        IssuedCertificate issued = ca.issue(CertificationRequest.fromDer(TestCsrs.csr("device-7", device)),
                CertificateProfile.deviceIdentity(Duration.ofDays(30)), now);
        X509Certificate cert = issued.certificate();

        cert.verify(ca.certificate().getPublicKey());
        assertEquals(device.getPublic(), cert.getPublicKey());
        assertEquals("device-7", issued.deviceId());
        assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage(), "clientAuth only");
        assertEquals(-1, cert.getBasicConstraints(), "end entity");
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        assertFalse(cert.getKeyUsage()[5], "no keyCertSign");
        assertTrue(cert.getSerialNumber().signum() > 0);
        assertTrue(cert.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(30)).minusSeconds(1)));
        assertTrue(cert.getNotBefore().toInstant().isBefore(now));

        byte[] aki = AuthorityKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets())
                .getKeyIdentifierOctets();
        byte[] caSki = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets())
                .getKeyIdentifier();
        assertArrayEquals(caSki, aki);
        assertTrue(cert.getExtensionValue(Extension.subjectKeyIdentifier.getId()) != null);
    }

    /**
     * The signer issues from one CA on several threads: each certificate must carry its own key's identifier (a
     * shared digest once mixed them up, or threw from inside SHA-1).
     */
    @Test
    void concurrentIssuesEachCarryTheirOwnKeyIdentifier() throws Exception {
        CertificateAuthority ca = softwareCa(Duration.ofDays(365));
        CertificateProfile profile = CertificateProfile.deviceIdentity(Duration.ofDays(30));
        int threads = 4;
        int each = 150;
        List<byte[]> csrs = new java.util.ArrayList<>();
        for (int i = 0; i < threads * each; i++) {
            csrs.add(TestCsrs.csr("device-" + i, TestCsrs.ecP256()));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<byte[]> mine = csrs.subList(t * each, (t + 1) * each);
                results.add(pool.submit(() -> {
                    start.await();
                    int wrong = 0;
                    for (byte[] csr : mine) {
                        X509Certificate cert = ca.issue(CertificationRequest.fromDer(csr), profile, Instant.now())
                                .certificate();
                        byte[] ski = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                                cert.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets())
                                .getKeyIdentifier();
                        byte[] keyBits = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                                cert.getPublicKey().getEncoded()).getPublicKeyData().getBytes();
                        if (!java.util.Arrays.equals(java.security.MessageDigest.getInstance("SHA-1").digest(keyBits),
                                ski)) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            start.countDown();
            int wrong = 0;
            for (java.util.concurrent.Future<Integer> result : results) {
                wrong += result.get();
            }
            assertEquals(0, wrong, "certificates whose subject key identifier is not their key's");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theIssuedCertificateTellsWhatItsEncodingSays() throws Exception {
        // The signer publishes these fields without parsing the certificate again: they must match the encoding.
        CertificateAuthority ca = softwareCa(Duration.ofDays(365));
        // A day after the CA was made (a certificate never starts before its CA), with a fraction of a second.
        Instant at = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusMillis(789);
        IssuedCertificate issued = ca.issue(CertificationRequest.fromDer(TestCsrs.csr("device-8", TestCsrs.ecP256())),
                CertificateProfile.deviceIdentity(Duration.ofDays(30)), at);
        X509Certificate cert = issued.certificate();
        assertEquals(cert.getNotBefore().toInstant(), issued.notBefore());
        assertEquals(cert.getNotAfter().toInstant(), issued.notAfter());
        assertEquals(at.minusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), issued.notBefore());
        assertEquals(cert.getSerialNumber().toString(16), issued.serialNumberHex());
        assertEquals(cert.getSubjectX500Principal().getName(), issued.subject());
        assertEquals(cert.getIssuerX500Principal().getName(), issued.issuer());
        assertArrayEquals(cert.getEncoded(), issued.encoded());
    }

    @Test
    void neverIssuesBeyondTheCaValidity() {
        CertificateAuthority ca = softwareCa(Duration.ofDays(10));
        IssuedCertificate issued = ca.issue(CertificationRequest.fromDer(TestCsrs.csr("d", TestCsrs.ecP256())),
                CertificateProfile.deviceIdentity(Duration.ofDays(365)), Instant.now());
        assertEquals(ca.certificate().getNotAfter(), issued.certificate().getNotAfter());
    }

    @Test
    void serialNumbersArePositiveAndDistinct() {
        CertificateAuthority ca = softwareCa(Duration.ofDays(10));
        CertificationRequest csr = CertificationRequest.fromDer(TestCsrs.csr("d", TestCsrs.ecP256()));
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            BigInteger serial = ca.issue(csr, CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now())
                    .certificate().getSerialNumber();
            assertTrue(serial.signum() > 0);
            assertTrue(serial.bitLength() <= 128);
            serials.add(serial);
        }
        assertEquals(200, serials.size());
    }

    @Test
    void certsOnlyRoundTrips() {
        CertificateAuthority ca = softwareCa(Duration.ofDays(10));
        byte[] der = CertsOnly.encode(ca.chain());
        assertEquals(ca.chain(), CertsOnly.decode(der));
    }

    @Test
    void certsOnlyFromDerIsTheSameStructure() throws Exception {
        CertificateAuthority ca = softwareCa(Duration.ofDays(10));
        List<byte[]> ders = new java.util.ArrayList<>();
        for (X509Certificate certificate : ca.chain()) {
            ders.add(certificate.getEncoded());
        }
        byte[] fromDer = CertsOnly.encodeDer(ders);
        org.junit.jupiter.api.Assertions.assertArrayEquals(CertsOnly.encode(ca.chain()), fromDer);
        assertEquals(ca.chain(), CertsOnly.decode(fromDer));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> CertsOnly.encodeDer(List.of(new byte[] { 1, 2, 3 })));
        // Several certificates, whichever order they come in (a SET OF is ordered by encoding), and a long one.
        X509Certificate device = ca.issue(CertificationRequest.fromDer(TestCsrs.csr("d", TestCsrs.ecP256())),
                CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now()).certificate();
        X509Certificate rsaDevice = ca.issue(CertificationRequest.fromDer(TestCsrs.csr("r", TestCsrs.rsa(4096))),
                CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now()).certificate();
        List<X509Certificate> several = List.of(device, ca.certificate(), rsaDevice);
        List<byte[]> severalDer = new java.util.ArrayList<>();
        for (X509Certificate certificate : several) {
            severalDer.add(certificate.getEncoded());
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(CertsOnly.encode(several), CertsOnly.encodeDer(severalDer));
        java.util.Collections.reverse(severalDer);
        org.junit.jupiter.api.Assertions.assertArrayEquals(CertsOnly.encode(several), CertsOnly.encodeDer(severalDer));
        byte[] truncated = java.util.Arrays.copyOf(device.getEncoded(), device.getEncoded().length - 1);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> CertsOnly.encodeDer(List.of(truncated)));
    }

    /** A provider whose signing fails as SunPKCS11's does when the token is removed mid-signature. */
    public static final class RemovedTokenSignature extends java.security.SignatureSpi {
        @Override
        protected void engineInitVerify(java.security.PublicKey key) {
        }

        @Override
        protected void engineInitSign(java.security.PrivateKey key) {
        }

        @Override
        protected void engineUpdate(byte b) {
        }

        @Override
        protected void engineUpdate(byte[] bytes, int offset, int length) {
        }

        @Override
        protected byte[] engineSign() {
            throw new java.security.ProviderException(new Exception("CKR_DEVICE_REMOVED"));
        }

        @Override
        protected boolean engineVerify(byte[] signature) {
            return false;
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            return null;
        }
    }

    private static CertificateAuthority caSigningWith(java.security.Provider provider) {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=Token Test CA"), key.getPublic(),
                key.getPrivate(), BC, Duration.ofDays(10), Instant.now());
        return new CertificateAuthority(List.of(root), key.getPrivate(), provider);
    }

    @Test
    void aProviderThatFailsWhileSigningIsAnUnavailableTokenNotAFaultOfTheRequest() {
        java.security.Provider removed = new java.security.Provider("removed-token", "1", "fails to sign") {
            {
                putService(new Service(this, "Signature", "SHA256withECDSA", RemovedTokenSignature.class.getName(),
                        null, null));
            }
        };
        CertificateAuthority ca = caSigningWith(removed);
        TokenUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(TokenUnavailableException.class,
                () -> ca.issue(CertificationRequest.fromDer(TestCsrs.csr("d", TestCsrs.ecP256())),
                        CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now()));
        assertTrue(e.getMessage().contains("CKR_DEVICE_REMOVED"), e.getMessage());
    }

    @Test
    void aProviderWithoutTheAlgorithmIsAPlainFaultNotAnUnavailableToken() {
        CertificateAuthority ca = caSigningWith(new java.security.Provider("no-ecdsa", "1", "signs nothing") {
        });
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ca.issue(CertificationRequest.fromDer(TestCsrs.csr("d", TestCsrs.ecP256())),
                        CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now()));
        assertEquals("cannot sign with the CA key", e.getMessage());
    }
}
