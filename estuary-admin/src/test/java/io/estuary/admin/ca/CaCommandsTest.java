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
import io.estuary.pki.ca.TokenCas;
import io.estuary.pki.token.Pkcs11Token;
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

    @Test
    void aResponderKeyMadeInTheRespondersTokenIsCertifiedByTheCaAndImported() throws Exception {
        assertEquals(0, ca("init-root", "far-ca", "--subject", "CN=Far Test CA", "--out",
                work.resolve("far-ca.pem").toString()).exitCode());
        String first = requestResponderKey("far-ca", work.resolve("first.csr"));
        String second = requestResponderKey("far-ca", work.resolve("second.csr"));
        assertTrue(TokenCas.ocspResponderAlias(openToken(), "far-ca").isEmpty(),
                "a key waiting for its certificate is never used to sign");

        // Each chain is stored with the key it certifies, whichever was requested first.
        List<X509Certificate> secondChain = certifyAndImport("far-ca", work.resolve("second.csr"), second);
        Pkcs11Token token = openToken();
        assertEquals(second, TokenCas.ocspResponderAlias(token, "far-ca").orElseThrow(), "the only one certified");
        assertEquals(secondChain.get(1), TokenCas.ocspResponderCa(token, "far-ca", second));
        List<X509Certificate> firstChain = certifyAndImport("far-ca", work.resolve("first.csr"), first);
        token = openToken();
        assertEquals(firstChain.get(0), token.certificate(first));
        assertEquals(secondChain.get(0), token.certificate(second));
        assertEquals(second, TokenCas.ocspResponderAlias(token, "far-ca").orElseThrow(), "the newest certified");
        assertEquals(List.of("1.3.6.1.5.5.7.3.9"), firstChain.get(0).getExtendedKeyUsage());
        assertTrue(firstChain.get(0).getSubjectX500Principal().getName().contains("OU=OCSP Responder"),
                "the CA chose the subject");

        // A chain that is no responder's, or for no waiting key of the CA named, or a damaged CSR: refused, with why.
        AdminCommandLine notAResponder = ca("ocsp-responder-import", "far-ca", "--chain", work.resolve("far-ca.pem")
                .toString(), "--out", work.resolve("x.pem").toString());
        assertEquals(2, notAResponder.exitCode());
        assertTrue(notAResponder.err().contains("holds the responder's certificate and its CA's"),
                notAResponder.err());
        AdminCommandLine otherCa = ca("ocsp-responder-import", "other-ca", "--chain", work.resolve("first.csr.pem")
                .toString(), "--out", work.resolve("x.pem").toString());
        assertEquals(2, otherCa.exitCode());
        assertTrue(otherCa.err().contains("no responder key of CA 'other-ca'"), otherCa.err());
        Path damaged = work.resolve("damaged.csr");
        requestResponderKey("far-ca", damaged);
        // The public key's bytes changed: the CSR still parses, its signature no longer verifies.
        String[] lines = Files.readString(damaged).split("\n");
        char[] bytes = lines[1].toCharArray();
        bytes[40] = bytes[40] == 'A' ? 'B' : 'A';
        lines[1] = new String(bytes);
        Files.writeString(damaged, String.join("\n", lines) + "\n");
        assertEquals(2, ca("ocsp-responder", "far-ca", "--csr", damaged.toString(), "--out",
                work.resolve("x.pem").toString()).exitCode(), "a damaged CSR");
    }

    @Test
    void theCaCertifiesOnlyResponderKeysAsStrongAsItsOwn() throws Exception {
        assertEquals(0, ca("init-root", "strict-ca", "--subject", "CN=Strict Test CA", "--out",
                work.resolve("strict-ca.pem").toString()).exitCode());
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
        for (var weak : List.of(java.util.Map.entry(rsa.generateKeyPair(), "1024 bits, not 2048 to 4096"),
                java.util.Map.entry(ec.generateKeyPair(), "not on P-256 or P-384"))) {
            Path csr = work.resolve("weak.csr");
            String algorithm = weak.getKey().getPrivate() instanceof java.security.interfaces.RSAKey
                    ? "SHA256withRSA" : "SHA512withECDSA";
            var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                    new org.bouncycastle.asn1.x500.X500Name("CN=weak"), weak.getKey().getPublic())
                    .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(algorithm)
                            .build(weak.getKey().getPrivate()));
            java.io.StringWriter pem = new java.io.StringWriter();
            try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
                writer.writeObject(request);
            }
            Files.writeString(csr, pem.toString());
            AdminCommandLine refused = ca("ocsp-responder", "strict-ca", "--csr", csr.toString(), "--out",
                    work.resolve("x.pem").toString());
            assertEquals(2, refused.exitCode(), refused.out());
            assertTrue(refused.err().contains(weak.getValue()), refused.err());
        }
    }

    private static String requestResponderKey(String caAlias, Path csr) {
        AdminCommandLine requested = ca("ocsp-responder-request", caAlias, "--out", csr.toString());
        assertEquals(0, requested.exitCode(), requested.err());
        var alias = java.util.regex.Pattern.compile("key '([^']+)'").matcher(requested.out());
        assertTrue(alias.find(), requested.out());
        return alias.group(1);
    }

    private static List<X509Certificate> certifyAndImport(String caAlias, Path csr, String expectedAlias)
            throws Exception {
        Path chain = Path.of(csr + ".pem");
        AdminCommandLine certified = ca("ocsp-responder", caAlias, "--csr", csr.toString(), "--validity-days", "30",
                "--out", chain.toString());
        assertEquals(0, certified.exitCode(), certified.err());
        List<X509Certificate> certificates = certificates(chain);
        assertEquals(2, certificates.size());
        certificates.get(0).verify(certificates.get(1).getPublicKey());
        AdminCommandLine imported = ca("ocsp-responder-import", caAlias, "--chain", chain.toString(), "--out",
                work.resolve("imported.pem").toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().startsWith("imported the OCSP responder '" + expectedAlias + "'"), imported.out());
        return certificates;
    }

    private static Pkcs11Token openToken() {
        return Pkcs11Token.open(new Pkcs11Token.Settings("admin-test-" + System.nanoTime(), SoftHsmTestToken.LIBRARY,
                0), SoftHsmTestToken.PIN.toCharArray());
    }
}
