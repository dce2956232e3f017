package io.estuary.admin.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.admin.cli.AdminCommandLine;
import io.estuary.admin.cli.EstuaryAdmin;
import io.estuary.testkit.SoftHsmTestToken;

/** The CA commands against a real SoftHSM2 token, run as the operator runs them, output captured. */
class CaCommandsTest {
    private static Path work;

    @BeforeAll
    static void freshToken() {
        work = SoftHsmTestToken.initialise().getParent();
    }

    private static AdminCommandLine ca(String command, String alias, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("ca", command, "--library", SoftHsmTestToken.LIBRARY,
                "--alias", alias));
        args.addAll(List.of(options));
        return AdminCommandLine.run(args.toArray(String[]::new));
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                Files.readAllBytes(pem))).stream().map(X509Certificate.class::cast).toList();
    }

    @Test
    void aRootAndAnIssuingCaUnderItAreMadeInTheTokenAndExported() throws Exception {
        Path rootPem = work.resolve("root.pem");
        AdminCommandLine root = ca("init-root", "root", "--subject", "CN=Admin Test Root,O=Estuary", "--key-type",
                "EC-P384", "--out", rootPem.toString());
        assertEquals(0, root.exitCode(), root.err());
        assertEquals("created CA 'root' in the token: O=Estuary, CN=Admin Test Root\n", root.out());
        X509Certificate rootCertificate = certificates(rootPem).get(0);
        rootCertificate.verify(rootCertificate.getPublicKey());
        assertTrue(rootCertificate.getBasicConstraints() >= 0, "a CA certificate");

        Path chainPem = work.resolve("issuing.pem");
        AdminCommandLine issuing = ca("init-issuing", "issuing", "--issuer-alias", "root", "--subject",
                "CN=Admin Test Issuing CA", "--key-type", "RSA-2048", "--out", chainPem.toString());
        assertEquals(0, issuing.exitCode(), issuing.err());
        assertEquals("created issuing CA 'issuing' under 'root'\n", issuing.out());
        List<X509Certificate> chain = certificates(chainPem);
        assertEquals(List.of(rootCertificate), chain.subList(1, 2));
        chain.get(0).verify(rootCertificate.getPublicKey());
        assertEquals("RSA", chain.get(0).getPublicKey().getAlgorithm());

        Path exported = work.resolve("exported.pem");
        AdminCommandLine export = ca("export", "issuing", "--out", exported.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertEquals("", export.out());
        assertEquals(chain, certificates(exported));
    }

    @Test
    void aRequestedKeyGetsACsrAndOnlyItsOwnSignedChainIsImported() throws Exception {
        Path csrPem = work.resolve("external.csr");
        AdminCommandLine request = ca("request", "external", "--subject", "CN=Externally Rooted CA", "--out",
                csrPem.toString());
        assertEquals(0, request.exitCode(), request.err());
        assertTrue(request.out().startsWith("created key 'external' in the token; CSR written to "), request.out());
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(csrPem))) {
            PKCS10CertificationRequest csr = (PKCS10CertificationRequest) parser.readObject();
            assertEquals("CN=Externally Rooted CA", csr.getSubject().toString());
        }

        // A chain made for another key is refused, and nothing is written.
        Path other = work.resolve("other-root.pem");
        assertEquals(0, ca("init-root", "other-root", "--subject", "CN=Other", "--out", other.toString()).exitCode());
        Path refusedOut = work.resolve("refused.pem");
        AdminCommandLine refused = ca("import", "external", "--chain", other.toString(), "--out",
                refusedOut.toString());
        assertEquals(2, refused.exitCode());
        assertEquals("error: the certificate's key is not the key of 'external'\n", refused.err());
        assertFalse(Files.exists(refusedOut));
    }

    @Test
    void anAliasTakenOrAnUnknownKeyTypeIsRefusedWithItsReason() {
        Path out = work.resolve("taken.pem");
        assertEquals(0, ca("init-root", "taken", "--subject", "CN=Taken", "--out", out.toString()).exitCode());
        AdminCommandLine again = ca("init-root", "taken", "--subject", "CN=Other", "--out", out.toString());
        assertEquals(2, again.exitCode());
        assertEquals("error: the token already holds a CA under alias 'taken'; use export to write its certificate\n",
                again.err());
        AdminCommandLine keyType = ca("init-root", "dsa", "--subject", "CN=DSA", "--key-type", "DSA-1024", "--out",
                work.resolve("dsa.pem").toString());
        assertEquals(2, keyType.exitCode());
        assertEquals("error: unsupported key type DSA-1024 (EC-P256, EC-P384, RSA-2048, RSA-3072)\n", keyType.err());
    }

    @Test
    void aWrongPinIsAClearErrorThatNeverEchoesThePin() throws Exception {
        assertEquals(0, ca("init-root", "pin-test", "--subject", "CN=PIN", "--out",
                work.resolve("pin.pem").toString()).exitCode());
        // Its own JVM: PKCS#11 login state is per process, and this one is already logged in. The PIN comes from the
        // environment, as deploy/estuary passes it.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EstuaryAdmin.class.getName(), "ca", "export",
                "--library", SoftHsmTestToken.LIBRARY, "--alias", "pin-test", "--out",
                work.resolve("x.pem").toString()).redirectErrorStream(true);
        builder.environment().put("ESTUARY_HSM_PIN", "wrong-pin");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(2, process.waitFor(), output);
        assertTrue(output.contains("error: cannot log in to the PKCS#11 token"), output);
        assertFalse(output.contains("wrong-pin"), "the PIN is never echoed");
    }

    @Test
    void theOcspResponderIsIssuedByTheCaAndRolled() throws Exception {
        AdminCommandLine root = ca("init-root", "ocsp-ca", "--subject", "CN=OCSP Test CA", "--out",
                work.resolve("ocsp-ca.pem").toString());
        assertEquals(0, root.exitCode(), root.err());
        Path pem = work.resolve("responder.pem");
        AdminCommandLine first = ca("ocsp-responder", "ocsp-ca", "--validity-days", "30", "--out", pem.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().startsWith("issued the OCSP responder 'ocsp-ca-ocsp-"), first.out());
        List<X509Certificate> chain = certificates(pem);
        assertEquals(2, chain.size());
        chain.get(0).verify(chain.get(1).getPublicKey());
        assertEquals(List.of("1.3.6.1.5.5.7.3.9"), chain.get(0).getExtendedKeyUsage());

        AdminCommandLine rolled = ca("ocsp-responder", "ocsp-ca", "--out", pem.toString());
        assertEquals(0, rolled.exitCode(), rolled.err());
        assertFalse(certificates(pem).get(0).getPublicKey().equals(chain.get(0).getPublicKey()), "a new key");

        AdminCommandLine noCa = ca("ocsp-responder", "no-such-ca", "--out", pem.toString());
        assertEquals(2, noCa.exitCode());
    }
}
