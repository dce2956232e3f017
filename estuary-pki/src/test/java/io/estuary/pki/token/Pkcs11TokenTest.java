package io.estuary.pki.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.SoftHsmTestToken;
import io.estuary.testkit.TestCsrs;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.ca.CertificateAuthorityTest;
import io.estuary.pki.ca.IssuedCertificate;
import io.estuary.pki.ca.TokenCas;
import io.estuary.pki.ca.TokenCas.KeyType;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.wire.Pem;

/** Against a real SoftHSM2 token: the CA key is made inside it, stays there, and signs. */
class Pkcs11TokenTest {
    private static final Pkcs11Token.Settings SETTINGS = new Pkcs11Token.Settings("pki-test",
            SoftHsmTestToken.LIBRARY, 0);
    private static Path work;

    @BeforeAll
    static void createCasInTheToken() throws Exception {
        Path tokens = SoftHsmTestToken.initialise();
        work = tokens.getParent();
        TokenCas cas = new TokenCas(Pkcs11Token.open(SETTINGS, SoftHsmTestToken.PIN.toCharArray()));
        Files.writeString(work.resolve("ec-ca.pem"), Pem.encode(cas.createRoot("ec-ca", new X500Name("CN=EC Test CA"),
                KeyType.EC_P256, Duration.ofDays(3650), Instant.now())));
        Files.writeString(work.resolve("rsa-ca.pem"), Pem.encode(cas.createRoot("rsa-ca",
                new X500Name("CN=RSA Test CA"), KeyType.RSA_2048, Duration.ofDays(3650), Instant.now())));
    }

    private static TokenCas cas() {
        return new TokenCas(Pkcs11Token.open(SETTINGS, SoftHsmTestToken.PIN.toCharArray()));
    }

    @Test
    void signsWithTheTokenKeyForBothKeyTypes() throws Exception {
        Pkcs11Token token = Pkcs11Token.open(SETTINGS, SoftHsmTestToken.PIN.toCharArray());
        for (String alias : List.of("ec-ca", "rsa-ca")) {
            CertificateAuthority ca = CertificateAuthority.inToken(token, alias);
            X509Certificate exported = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(work.resolve(alias + ".pem"))));
            assertEquals(exported, ca.certificate(), "the PEM written is the certificate in the token");
            IssuedCertificate issued = ca.issue(CertificationRequest.fromDer(TestCsrs.csr("hsm-device",
                    TestCsrs.ecP256())), CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now());
            issued.certificate().verify(exported.getPublicKey());
            assertTrue(ca.certificate().getBasicConstraints() >= 0, "a CA certificate");
        }
    }

    @Test
    void anIssuingCaUnderTheRootSignsWithItsChain() throws Exception {
        char[] pin = SoftHsmTestToken.PIN.toCharArray();
        List<X509Certificate> chain = cas().createIssuing("issuing-ca", "ec-ca", new X500Name("CN=Issuing Test CA"),
                KeyType.EC_P384, Duration.ofDays(1825), Instant.now());
        CertificateAuthority issuing = CertificateAuthority.inToken(Pkcs11Token.open(SETTINGS, pin), "issuing-ca");
        assertEquals(chain, issuing.chain());
        assertEquals(2, issuing.chain().size());
        assertEquals(0, issuing.certificate().getBasicConstraints(), "pathlen 0");
        issuing.certificate().verify(issuing.chain().get(1).getPublicKey());
        X509Certificate device = issuing.issue(CertificationRequest.fromDer(TestCsrs.csr("d", TestCsrs.ecP256())),
                CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now()).certificate();
        device.verify(issuing.certificate().getPublicKey());
        assertEquals("SHA384withECDSA", device.getSigAlgName());
    }

    @Test
    void aKeyCertifiedByAnExternalRootIsImported() throws Exception {
        char[] pin = SoftHsmTestToken.PIN.toCharArray();
        TokenCas cas = cas();
        CertificationRequest csr = CertificationRequest.fromDer(cas.request("external-ca",
                new X500Name("CN=Externally Rooted CA"), KeyType.EC_P256, Instant.now()).getEncoded());
        // The external root, here a software CA, signs the CSR.
        CertificateAuthority externalRoot = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        X509Certificate signed = externalRoot.issueSubordinateCa(csr.subject(), csr.publicKey(), Duration.ofDays(100),
                Instant.now());
        // A chain for another key is refused.
        assertThrows(IllegalArgumentException.class, () -> cas.importChain("external-ca",
                List.of(externalRoot.certificate())));

        cas.importChain("external-ca", List.of(signed, externalRoot.certificate()));
        CertificateAuthority imported = CertificateAuthority.inToken(Pkcs11Token.open(SETTINGS, pin), "external-ca");
        assertEquals(List.of(signed, externalRoot.certificate()), imported.chain());
        imported.issue(CertificationRequest.fromDer(TestCsrs.csr("d", TestCsrs.ecP256())),
                CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now()).certificate()
                .verify(signed.getPublicKey());
    }

    @Test
    void theKeyIsSensitiveAndNeverExtractable() {
        String objects = SoftHsmTestToken.run(List.of("pkcs11-tool", "--module", SoftHsmTestToken.LIBRARY,
                "--token-label", SoftHsmTestToken.LABEL, "--login", "--pin", SoftHsmTestToken.PIN, "--list-objects",
                "--type", "privkey"));
        assertTrue(objects.split("Private Key Object").length - 1 >= 2, objects);
        for (String key : objects.split("Private Key Object")) {
            if (key.contains("Access:")) {
                assertTrue(key.contains("never extractable"), key);
                assertTrue(key.contains("always sensitive"), key);
                assertFalse(key.matches("(?s).*Access:[^\\n]*\\bextractable\\b(?<!never extractable).*"), key);
            }
        }
    }

    @Test
    void theOcspResponderKeyIsMadeNextToTheCasAndRolledByANewOne() throws Exception {
        var issued = cas().issueOcspResponder("ec-ca", Duration.ofDays(30), Instant.now());
        List<X509Certificate> first = issued.getValue();
        Pkcs11Token token = Pkcs11Token.open(SETTINGS, SoftHsmTestToken.PIN.toCharArray());
        CertificateAuthority ca = CertificateAuthority.inToken(token, "ec-ca");
        X509Certificate responder = first.get(0);
        responder.verify(ca.certificate().getPublicKey());
        assertEquals(ca.certificate(), first.get(1));
        assertTrue(responder.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.9"), "id-kp-OCSPSigning");
        assertTrue(responder.getNonCriticalExtensionOIDs().contains("1.3.6.1.5.5.7.48.1.5"), "id-pkix-ocsp-nocheck");
        assertEquals(issued.getKey(), TokenCas.ocspResponderAlias(token, "ec-ca").orElseThrow());
        assertEquals(responder, token.keyEntry(issued.getKey()).getCertificate());

        var roll = cas().issueOcspResponder("ec-ca", Duration.ofDays(30), Instant.now());
        List<X509Certificate> rolled = roll.getValue();
        assertFalse(rolled.get(0).getPublicKey().equals(responder.getPublicKey()), "a new key");
        Pkcs11Token reopened = Pkcs11Token.open(SETTINGS, SoftHsmTestToken.PIN.toCharArray());
        assertEquals(roll.getKey(), TokenCas.ocspResponderAlias(reopened, "ec-ca").orElseThrow(), "the newest");
        var entry = reopened.keyEntry(roll.getKey());
        assertEquals(rolled.get(0), entry.getCertificate());
        assertEquals(ca.certificate(), reopened.certificate("ec-ca"), "the CA's certificate stays");
        assertEquals(ca.certificate(), reopened.keyEntry("ec-ca").getCertificate());
        java.security.Signature signature = java.security.Signature.getInstance("SHA256withECDSA",
                reopened.provider());
        signature.initSign(entry.getPrivateKey());
        signature.update(new byte[] { 1, 2, 3 });
        java.security.Signature check = java.security.Signature.getInstance("SHA256withECDSA");
        check.initVerify(rolled.get(0).getPublicKey());
        check.update(new byte[] { 1, 2, 3 });
        assertTrue(check.verify(signature.sign()), "the stored key is the rolled certificate's");
    }

    /**
     * A CRL of 100,000 entries signed with the CA key in SoftHSM2 (issue 26 asks for under 2 s): measured and printed,
     * not asserted (the machine's load decides the figure).
     */
    @Test
    void aCrlOfAHundredThousandEntriesSignedInTheToken() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inToken(Pkcs11Token.open(SETTINGS,
                SoftHsmTestToken.PIN.toCharArray()), "ec-ca");
        java.util.Random random = new java.util.Random(26);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<io.estuary.pki.ca.RevokedEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            entries.add(new io.estuary.pki.ca.RevokedEntry(new java.math.BigInteger(128, random).setBit(127),
                    now.minusSeconds(i), i % 6, null));
        }
        ca.crl(entries.subList(0, 1000), java.math.BigInteger.ONE, now, now.plus(Duration.ofDays(1))); // warm-up
        long start = System.nanoTime();
        byte[] der = ca.crl(entries, java.math.BigInteger.TWO, now, now.plus(Duration.ofDays(1)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("CRL of %,d entries with the SoftHSM2 key: generated and signed in %,d ms, %,d bytes DER%n",
                entries.size(), millis, der.length);
        java.security.cert.X509CRL crl = (java.security.cert.X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(der));
        crl.verify(ca.certificate().getPublicKey());
        assertEquals(100_000, crl.getRevokedCertificates().size());
    }

    @Test
    void refusesToReplaceAnExistingCa() {
        TokenCas cas = cas();
        assertThrows(IllegalStateException.class, () -> cas.createRoot("ec-ca", new X500Name("CN=Other"),
                KeyType.EC_P256, Duration.ofDays(1), Instant.now()));
    }

    @Test
    void aMissingModuleIsAnUnavailableToken() {
        assertThrows(TokenUnavailableException.class, () -> Pkcs11Token.open(new Pkcs11Token.Settings("missing",
                work.resolve("no-such-module.so").toString(), 0), SoftHsmTestToken.PIN.toCharArray()));
    }
}
