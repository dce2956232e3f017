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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.SoftHsmTestToken;
import io.estuary.testkit.TestCsrs;

import io.estuary.pki.ca.CaCommand;
import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.ca.CertificateAuthorityTest;
import io.estuary.pki.ca.IssuedCertificate;
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
        char[] pin = SoftHsmTestToken.PIN.toCharArray();
        assertEquals(0, CaCommand.run(new String[] { "init-root", "--library", SoftHsmTestToken.LIBRARY, "--alias",
                "ec-ca", "--subject", "CN=EC Test CA", "--key-type", "EC-P256", "--out",
                work.resolve("ec-ca.pem").toString() }, pin));
        assertEquals(0, CaCommand.run(new String[] { "init-root", "--library", SoftHsmTestToken.LIBRARY, "--alias",
                "rsa-ca", "--subject", "CN=RSA Test CA", "--key-type", "RSA-2048", "--out",
                work.resolve("rsa-ca.pem").toString() }, pin));
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
        Path chainFile = work.resolve("issuing.pem");
        assertEquals(0, CaCommand.run(new String[] { "init-issuing", "--library", SoftHsmTestToken.LIBRARY,
                "--alias", "issuing-ca", "--issuer-alias", "ec-ca", "--subject", "CN=Issuing Test CA", "--key-type",
                "EC-P384", "--out", chainFile.toString() }, pin));
        CertificateAuthority issuing = CertificateAuthority.inToken(Pkcs11Token.open(SETTINGS, pin), "issuing-ca");
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
        Path csrFile = work.resolve("external.csr");
        assertEquals(0, CaCommand.run(new String[] { "request", "--library", SoftHsmTestToken.LIBRARY, "--alias",
                "external-ca", "--subject", "CN=Externally Rooted CA", "--out", csrFile.toString() }, pin));
        // The external root, here a software CA, signs the CSR.
        var parsed = (org.bouncycastle.pkcs.PKCS10CertificationRequest) new org.bouncycastle.openssl.PEMParser(
                Files.newBufferedReader(csrFile)).readObject();
        CertificationRequest csr = CertificationRequest.fromDer(parsed.getEncoded());
        CertificateAuthority externalRoot = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        X509Certificate signed = externalRoot.issueSubordinateCa(csr.subject(), csr.publicKey(), Duration.ofDays(100),
                Instant.now());
        Path chainFile = work.resolve("external-chain.pem");
        Files.writeString(chainFile, Pem.encode(signed, externalRoot.certificate()));

        // A chain for another key is refused.
        Path wrong = work.resolve("wrong-chain.pem");
        Files.writeString(wrong, Pem.encode(externalRoot.certificate()));
        assertThrows(IllegalArgumentException.class, () -> CaCommand.run(new String[] { "import", "--library",
                SoftHsmTestToken.LIBRARY, "--alias", "external-ca", "--chain", wrong.toString(), "--out",
                work.resolve("x.pem").toString() }, pin));

        assertEquals(0, CaCommand.run(new String[] { "import", "--library", SoftHsmTestToken.LIBRARY, "--alias",
                "external-ca", "--chain", chainFile.toString(), "--out", work.resolve("imported.pem").toString() },
                pin));
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
    void refusesToReplaceAnExistingCa() {
        assertThrows(IllegalStateException.class, () -> CaCommand.run(new String[] { "init-root", "--library",
                SoftHsmTestToken.LIBRARY, "--alias", "ec-ca", "--subject", "CN=Other", "--out",
                work.resolve("other.pem").toString() }, SoftHsmTestToken.PIN.toCharArray()));
    }

    @Test
    void aWrongPinIsAClearError() throws Exception {
        // Its own JVM: PKCS#11 login state is per process, and this one is already logged in.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CaCommand.class.getName(), "export", "--library",
                SoftHsmTestToken.LIBRARY, "--alias", "ec-ca", "--out", work.resolve("x.pem").toString())
                .redirectErrorStream(true);
        builder.environment().put("ESTUARY_HSM_PIN", "wrong-pin");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(2, process.waitFor(), output);
        assertTrue(output.contains("error: cannot log in to the PKCS#11 token"), output);
        assertFalse(output.contains("wrong-pin"), "the PIN is never echoed");
    }

    @Test
    void aMissingModuleIsAnUnavailableToken() {
        assertThrows(TokenUnavailableException.class, () -> Pkcs11Token.open(new Pkcs11Token.Settings("missing",
                work.resolve("no-such-module.so").toString(), 0), SoftHsmTestToken.PIN.toCharArray()));
    }
}
