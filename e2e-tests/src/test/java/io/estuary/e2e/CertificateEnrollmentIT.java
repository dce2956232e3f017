package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.ESTException;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ProfilePolicies;
import io.estuary.testkit.TestCsrs;

/**
 * The fleet flow over mutual TLS, the way aziot-certd does it: a device born with a manufacturer (IDevID) certificate
 * uses it once to get an EST identity, then enrolls with the EST identity. Certificates from elsewhere are refused.
 */
class CertificateEnrollmentIT {
    private static Path root;
    private static Path state;
    private static Path work;
    private static X509TrustManager[] trust;
    private static String authority;

    @BeforeAll
    static void startServicesWithABootstrapCa() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider()); // BC's EST client validates the server with it
        }
        state = LocalStack.state();
        root = LocalStack.root();
        work = Files.createTempDirectory("estuary-mtls");
        // A manufacturer CA trusted on the unlabelled path (where aziot-certd sends everything), and one nobody trusts.
        Path bootstrapDir = state.resolve("pki/bootstrap/default");
        Files.createDirectories(bootstrapDir);
        makeCa("manufacturer", "Manufacturer Root");
        Files.copy(work.resolve("manufacturer.pem"), bootstrapDir.resolve("manufacturer.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        makeCa("foreign", "Foreign Root");
        makeClientCertificate("idevid", "idevid-device-7", "manufacturer");
        makeClientCertificate("stranger", "stranger-device", "foreign");
        LocalStack.script("services-up"); // the listener's trust bundle now includes the manufacturer CA
        X509Certificate anchor = read(state.resolve("pki/tls-trust-anchor.pem"));
        trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(anchor, null)), null);
        authority = "localhost:" + LocalStack.env("ESTUARY_EST_PORT");
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (root != null) {
            LocalStack.script("services-down");
        }
    }

    @Test
    void bootstrapCertificateThenEstIdentityThenDeviceCertificate() throws Exception {
        // 1. The IDevID's request is enrolled as an EST identity, whatever the CSR's subject.
        KeyPair estIdentityKey = TestCsrs.ecP256();
        ESTService withIdevid = client(read(work.resolve("idevid.pem")), key(work.resolve("idevid.key")));
        X509Certificate estIdentity = first(withIdevid.simpleEnroll(false, csr("est-id-device-7", estIdentityKey),
                null).getStore());
        assertEquals("CN=est-id-device-7", estIdentity.getSubjectX500Principal().getName());
        assertTrue(ProfilePolicies.issuedUnder(estIdentity, "est-identity"), "issued as an EST identity");

        // 2. The EST identity enrolls the device certificate on the same URL, under the label's own profile.
        ESTService withEstIdentity = client(estIdentity, estIdentityKey.getPrivate());
        KeyPair deviceKey = TestCsrs.ecP256();
        X509Certificate device = first(withEstIdentity.simpleEnroll(false, csr("device-7", deviceKey), null)
                .getStore());
        assertEquals(deviceKey.getPublic(), device.getPublicKey());
        assertTrue(ProfilePolicies.issuedUnder(device, "device-identity"));

        // 3. The IDevID is trusted on its label only.
        ESTService idevidOnEdgeCa = new JsseESTServiceBuilder(authority, trust).withKeyManagers(
                keyManagers(read(work.resolve("idevid.pem")), key(work.resolve("idevid.key")))).withLabel("edge-ca")
                .build();
        ESTException wrongLabel = assertThrows(ESTException.class,
                () -> idevidOnEdgeCa.simpleEnroll(false, csr("edge-ca-device-7", TestCsrs.ecP256()), null));
        assertEquals(403, wrongLabel.getStatusCode());

        // 4. A device certificate is not an EST identity: it may renew itself, not enroll others.
        ESTService withDeviceCertificate = client(device, deviceKey.getPrivate());
        ESTException notAnIdentity = assertThrows(ESTException.class,
                () -> withDeviceCertificate.simpleEnroll(false, csr("device-8", TestCsrs.ecP256()), null));
        assertEquals(403, notAnIdentity.getStatusCode());
    }

    @Test
    void aCertificateFromAForeignCaIsRefused() throws Exception {
        ESTService stranger = client(read(work.resolve("stranger.pem")), key(work.resolve("stranger.key")));
        Exception refused = assertThrows(Exception.class,
                () -> stranger.simpleEnroll(false, csr("stranger-device", TestCsrs.ecP256()), null));
        // Refused in the TLS handshake (no HTTP answer) or, if the handshake let it through, not with a certificate.
        if (refused instanceof ESTException est && est.getStatusCode() != 0) {
            assertTrue(est.getStatusCode() == 401 || est.getStatusCode() == 403, "status " + est.getStatusCode());
        }
    }

    private static ESTService client(X509Certificate certificate, PrivateKey key) throws Exception {
        return new JsseESTServiceBuilder(authority, trust).withKeyManagers(keyManagers(certificate, key)).build();
    }

    private static javax.net.ssl.KeyManager[] keyManagers(X509Certificate certificate, PrivateKey key)
            throws Exception {
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("client", key, "pw".toCharArray(), new Certificate[] { certificate });
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(identity, "pw".toCharArray());
        return keyManagers.getKeyManagers();
    }

    private static PKCS10CertificationRequest csr(String commonName, KeyPair key) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    private static X509Certificate first(org.bouncycastle.util.Store<org.bouncycastle.cert.X509CertificateHolder> store)
            throws Exception {
        return new JcaX509CertificateConverter().getCertificate(ESTService.storeToArray(store)[0]);
    }

    private static void makeCa(String name, String commonName) throws Exception {
        openssl(List.of("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                work.resolve(name + ".key").toString(), "-out", work.resolve(name + ".pem").toString(), "-days", "30",
                "-subj", "/CN=" + commonName, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                "keyUsage=critical,keyCertSign,cRLSign"));
    }

    private static void makeClientCertificate(String name, String commonName, String ca) throws Exception {
        openssl(List.of("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                work.resolve(name + ".key").toString(), "-out", work.resolve(name + ".csr").toString(), "-subj",
                "/CN=" + commonName));
        Path extensions = work.resolve(name + ".ext");
        Files.writeString(extensions, "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
        openssl(List.of("x509", "-req", "-in", work.resolve(name + ".csr").toString(), "-CA",
                work.resolve(ca + ".pem").toString(), "-CAkey", work.resolve(ca + ".key").toString(),
                "-CAcreateserial", "-days", "30", "-extfile", extensions.toString(), "-out",
                work.resolve(name + ".pem").toString()));
    }

    private static void openssl(List<String> arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
    }

    private static X509Certificate read(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    private static PrivateKey key(Path pem) throws Exception {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(pem))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            return converter.getKeyPair((org.bouncycastle.openssl.PEMKeyPair) parsed).getPrivate();
        }
    }
}
