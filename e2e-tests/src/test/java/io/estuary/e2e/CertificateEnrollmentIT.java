package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.ESTException;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.ProfilePolicies;
import io.estuary.pki.token.Pkcs11Token;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.Pem;
import io.estuary.testkit.TestCsrs;
import io.estuary.testkit.TestTls;

/**
 * The fleet flow over mutual TLS, the way aziot-certd does it: a device born with a manufacturer (IDevID) certificate
 * uses it once to get an EST identity, then enrolls with the EST identity, and falls back to the bootstrap
 * certificate when the EST identity expired or is refused. The handshake accepts every client certificate: refusals
 * are HTTP answers with a reason.
 */
@ExtendWith(SharedServices.class)
class CertificateEnrollmentIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static Path state;
    private static Path work;
    private static X509TrustManager[] trust;
    private static String authority;
    private static String estBase;
    private static CertificateAuthority estuaryCa;

    @BeforeAll
    static void startServicesWithABootstrapCa() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider()); // BC's EST client validates the server with it
        }
        state = LocalStack.state();
        root = LocalStack.root();
        work = Files.createTempDirectory("estuary-mtls");
        LocalStack.script("services-down"); // the frontend reads the bootstrap CAs at start
        // A manufacturer CA trusted on the unlabelled path (where aziot-certd sends everything), and one nobody trusts.
        Path bootstrapDir = state.resolve("pki/bootstrap/default");
        Files.createDirectories(bootstrapDir);
        makeCa("manufacturer", "Manufacturer Root");
        Files.copy(work.resolve("manufacturer.pem"), bootstrapDir.resolve("manufacturer.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        makeCa("foreign", "Foreign Root");
        makeClientCertificate("idevid", "idevid-device-7", "manufacturer");
        makeClientCertificate("stranger", "stranger-device", "foreign");
        // The manufacturer revokes one of its devices, with openssl's CA commands, and publishes its CRL beside its CA.
        makeClientCertificate("stolen-idevid", "stolen-device", "manufacturer");
        Files.writeString(work.resolve("index.txt"), "");
        Files.writeString(work.resolve("manufacturer.cnf"), "[ca]\ndefault_ca=manufacturer\n[manufacturer]\n"
                + "database=" + work.resolve("index.txt") + "\ncertificate=" + work.resolve("manufacturer.pem")
                + "\nprivate_key=" + work.resolve("manufacturer.key") + "\ndefault_md=sha256\ndefault_crl_days=7\n");
        openssl(List.of("ca", "-config", work.resolve("manufacturer.cnf").toString(), "-revoke",
                work.resolve("stolen-idevid.pem").toString(), "-crl_reason", "keyCompromise"));
        openssl(List.of("ca", "-config", work.resolve("manufacturer.cnf").toString(), "-gencrl", "-out",
                bootstrapDir.resolve("manufacturer.crl").toString()));
        LocalStack.script("services-up"); // the frontend reads the bootstrap CAs at start
        X509Certificate anchor = read(state.resolve("pki/tls-trust-anchor.pem"));
        trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(anchor, null)), null);
        authority = "localhost:" + LocalStack.env("ESTUARY_EST_PORT");
        estBase = "https://" + authority + "/.well-known/est";
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

        // 3. An IDevID its manufacturer revoked gets no EST identity.
        ESTService withStolenIdevid = client(read(work.resolve("stolen-idevid.pem")),
                key(work.resolve("stolen-idevid.key")));
        ESTException revoked = assertThrows(ESTException.class,
                () -> withStolenIdevid.simpleEnroll(false, csr("est-id-stolen", TestCsrs.ecP256()), null));
        assertEquals(403, revoked.getStatusCode());

        // 4. The IDevID is trusted on its label only.
        ESTService idevidOnEdgeCa = new JsseESTServiceBuilder(authority, trust).withKeyManagers(
                TestTls.keyManagers(read(work.resolve("idevid.pem")), key(work.resolve("idevid.key")))).withLabel("edge-ca")
                .build();
        ESTException wrongLabel = assertThrows(ESTException.class,
                () -> idevidOnEdgeCa.simpleEnroll(false, csr("edge-ca-device-7", TestCsrs.ecP256()), null));
        assertEquals(403, wrongLabel.getStatusCode());

        // 5. A device certificate is not an EST identity: it may renew itself, not enroll others.
        ESTService withDeviceCertificate = client(device, deviceKey.getPrivate());
        ESTException notAnIdentity = assertThrows(ESTException.class,
                () -> withDeviceCertificate.simpleEnroll(false, csr("device-8", TestCsrs.ecP256()), null));
        assertEquals(403, notAnIdentity.getStatusCode());

        // 6. Requests after the first on a kept-alive connection still carry its certificate (the frontend reads the
        // chain once per TLS session): the device renews twice over one connection, then is refused as before.
        HttpClient deviceConnection = https(device, deviceKey.getPrivate());
        for (int renewal = 0; renewal < 2; renewal++) {
            HttpResponse<String> renewed = post(deviceConnection, "/simplereenroll", csr("device-7", deviceKey));
            assertEquals(200, renewed.statusCode(), renewed.body());
        }
        HttpResponse<String> stillNotAnIdentity = post(deviceConnection, "/simpleenroll", csr("device-9",
                TestCsrs.ecP256()));
        assertEquals(403, stillNotAnIdentity.statusCode(), stillNotAnIdentity.body());
    }

    /** The handshake lets the foreign certificate through; the answer is 403 with the reason, and no Basic challenge. */
    @Test
    void aCertificateFromAForeignCaIsRefusedWithAReason() throws Exception {
        HttpClient stranger = https(read(work.resolve("stranger.pem")), key(work.resolve("stranger.key")));
        HttpResponse<String> refused = post(stranger, "/simpleenroll", csr("stranger-device", TestCsrs.ecP256()));
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertTrue(refused.body().contains("client certificate 'CN=stranger-device' issued by 'CN=Foreign Root' is "
                + "not from a CA Estuary trusts"), refused.body());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").isEmpty());
        // A certificate Estuary did not issue cannot be renewed either.
        HttpResponse<String> reenroll = post(stranger, "/simplereenroll", csr("stranger-device", TestCsrs.ecP256()));
        assertEquals(403, reenroll.statusCode(), reenroll.body());
        assertTrue(reenroll.body().contains("renews certificates Estuary issued"), reenroll.body());
        // cacerts does not care about client certificates.
        assertEquals(200, stranger.send(HttpRequest.newBuilder(URI.create(estBase + "/cacerts")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /**
     * An EST identity signed by the CA key in the HSM but expired: 401 with the expiry on simpleenroll and on
     * simplereenroll, a Basic challenge, and an AuthenticationFailed event in the audit trail.
     */
    @Test
    void anExpiredEstIdentityGets401WithItsExpiry() throws Exception {
        String device = "expired-identity-" + System.currentTimeMillis();
        KeyPair key = TestCsrs.ecP256();
        X509Certificate expired = expiredEstIdentity(device, key);
        assertTrue(ProfilePolicies.issuedUnder(expired, "est-identity"));
        assertTrue(expired.getNotAfter().toInstant().isBefore(Instant.now()));
        String expiry = "client certificate 'CN=" + device + "' expired at " + expired.getNotAfter().toInstant();

        HttpClient withExpired = https(expired, key.getPrivate());
        HttpResponse<String> enroll = post(withExpired, "/simpleenroll", csr(device, TestCsrs.ecP256()));
        assertEquals(401, enroll.statusCode(), enroll.body());
        assertEquals(expiry + "\n", enroll.body());
        assertEquals("Basic realm=\"estuary\"", enroll.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertTrue(enroll.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));

        HttpResponse<String> reenroll = post(withExpired, "/simplereenroll", csr(device, key));
        assertEquals(401, reenroll.statusCode(), reenroll.body());
        assertTrue(reenroll.body().startsWith(expiry + "; an expired certificate cannot be renewed"),
                reenroll.body());

        JsonNode failure = awaitAuthenticationFailure("CN=" + device + " sha256:");
        assertEquals("certificate", failure.get("payload").get("method").asText());
        assertEquals(expiry, failure.get("reason").asText());
    }

    /**
     * The aziot-style client script: with an expired EST identity it falls back to its bootstrap certificate, gets a
     * fresh EST identity and enrolls the device certificate with it; the next run uses that identity directly; an EST
     * identity the server refuses (a device certificate, 403) also sends it back to the bootstrap certificate.
     */
    @Test
    void theIotEdgeScriptFallsBackToItsBootstrapCertificate() throws Exception {
        String device = "fallback-device-" + System.currentTimeMillis();
        Path identityCert = work.resolve(device + "-identity.pem");
        Path identityKey = work.resolve(device + "-identity.key");
        KeyPair oldKey = TestCsrs.ecP256();
        X509Certificate expired = expiredEstIdentity(device, oldKey);
        Files.writeString(identityCert, Pem.encode(expired));
        Files.writeString(identityKey, pem(oldKey.getPrivate()));

        // 1. Expired: the bootstrap certificate gets a new EST identity, which enrolls the device certificate.
        ScriptRun first = runIotEdgeScript(device, identityCert, identityKey);
        assertTrue(first.stderr().contains("the EST identity expired"), first.stderr());
        X509Certificate renewed = read(identityCert);
        assertNotEquals(expired.getSerialNumber(), renewed.getSerialNumber());
        assertTrue(ProfilePolicies.issuedUnder(renewed, "est-identity"));
        assertEquals("CN=" + device, renewed.getSubjectX500Principal().getName());
        renewed.checkValidity();
        X509Certificate deviceCertificate = first.issued();
        assertEquals("CN=" + device, deviceCertificate.getSubjectX500Principal().getName());
        assertTrue(ProfilePolicies.issuedUnder(deviceCertificate, "device-identity"));
        assertEquals(renewed.getSubjectX500Principal().getName(), requesterOf(deviceCertificate),
                "the device certificate was requested with the new EST identity");

        // 2. Valid now: used as is, no bootstrap.
        ScriptRun second = runIotEdgeScript(device, identityCert, identityKey);
        assertFalse(second.stderr().contains("bootstrap"), second.stderr());
        assertEquals(renewed.getSerialNumber(), read(identityCert).getSerialNumber());
        assertTrue(ProfilePolicies.issuedUnder(second.issued(), "device-identity"));

        // 3. Not expired but refused by the server (a device certificate is no EST identity): back to the bootstrap.
        Files.writeString(identityCert, Pem.encode(deviceCertificate));
        Files.writeString(identityKey, Files.readString(Path.of(first.folder()).resolve("key.pem")));
        ScriptRun third = runIotEdgeScript(device, identityCert, identityKey);
        assertTrue(third.stderr().contains("the server refused the EST identity (403)"), third.stderr());
        assertTrue(third.stderr().contains("not as an EST identity"), third.stderr());
        assertTrue(ProfilePolicies.issuedUnder(read(identityCert), "est-identity"));
        assertTrue(ProfilePolicies.issuedUnder(third.issued(), "device-identity"));
    }

    /** An EST identity issued by Estuary's CA key in the token, valid for a day that ended yesterday. */
    private static X509Certificate expiredEstIdentity(String commonName, KeyPair key) {
        CertificateProfile estIdentity = new CertificateProfile("est-identity", LocalStack.env("ESTUARY_CA_ALIAS"),
                Duration.ofDays(1), 2048, Set.of("P-256", "P-384"), List.of(KeyPurposeId.id_kp_clientAuth), false,
                Optional.empty(), Optional.empty(), true, false);
        return estuaryCa().issue(CertificationRequest.fromDer(TestCsrs.csr(commonName, key)), estIdentity,
                Instant.now().minus(Duration.ofDays(2))).certificate();
    }

    /** The CA the signer uses: the same SoftHSM2 token (SOFTHSM2_CONF is set for this JVM by the pom). */
    private static synchronized CertificateAuthority estuaryCa() {
        if (estuaryCa == null) {
            try {
                char[] pin = Files.readString(state.resolve("secrets/hsm-pin")).strip().toCharArray();
                Pkcs11Token token = Pkcs11Token.open(new Pkcs11Token.Settings("estuary-e2e",
                        LocalStack.env("ESTUARY_HSM_LIBRARY"), 0), pin);
                estuaryCa = CertificateAuthority.inToken(token, LocalStack.env("ESTUARY_CA_ALIAS"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return estuaryCa;
    }

    private record ScriptRun(String folder, String stderr) {
        X509Certificate issued() throws Exception {
            return read(Path.of(folder).resolve("issued.pem"));
        }
    }

    private static ScriptRun runIotEdgeScript(String commonName, Path identityCert, Path identityKey)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("deploy/est-client-iot-edge.sh").toString(), estBase,
                state.resolve("pki/tls-trust-anchor.pem").toString(), "-", commonName);
        builder.environment().putAll(Map.of("EST_IDENTITY_CERT", identityCert.toString(), "EST_IDENTITY_KEY",
                identityKey.toString(), "EST_BOOTSTRAP_CERT", work.resolve("idevid.pem").toString(),
                "EST_BOOTSTRAP_KEY", work.resolve("idevid.key").toString()));
        Path stderr = Files.createTempFile(work, "script", ".err");
        Process process = builder.redirectError(stderr.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        String errors = Files.readString(stderr);
        assertEquals(0, exit, "est-client-iot-edge.sh failed: " + errors);
        return new ScriptRun(stdout.strip(), errors);
    }

    /** Who the audit trail says requested a certificate (the signer's decision, by serial number). */
    private static String requesterOf(X509Certificate certificate) throws Exception {
        String device = certificate.getSubjectX500Principal().getName().substring(3);
        String serial = certificate.getSerialNumber().toString(16);
        JsonNode decisions = awaitJson("http://127.0.0.1:" + LocalStack.env("ESTUARY_AUDIT_PORT")
                + "/issuances?device=" + device, node -> find(node, "serialNumber", serial) != null);
        return find(decisions, "serialNumber", serial).get("requester").asText();
    }

    private static JsonNode awaitAuthenticationFailure(String requesterPrefix) throws Exception {
        JsonNode records = awaitJson("http://127.0.0.1:" + LocalStack.env("ESTUARY_AUDIT_PORT")
                + "/audit/records?outcome=AUTHENTICATION_FAILED&limit=1000",
                node -> matching(node.get("records"), requesterPrefix) != null);
        return matching(records.get("records"), requesterPrefix);
    }

    private static JsonNode matching(JsonNode records, String requesterPrefix) {
        for (JsonNode record : records) {
            if (record.get("requester").asText().startsWith(requesterPrefix)) {
                return record;
            }
        }
        return null;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (node.has(field) && value.equalsIgnoreCase(node.get(field).asText())) {
                return node;
            }
        }
        return null;
    }

    /** An HTTPS client trusting the stack's anchor and presenting the certificate (its own connection pool). */
    private static HttpClient https(X509Certificate certificate, PrivateKey key) throws Exception {
        return HttpClient.newBuilder().sslContext(TestTls.presenting(state.resolve("pki/tls-trust-anchor.pem"),
                certificate, key)).connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** Polls the audit API with an auditor's token (tokens of the CLI client live 5 minutes). */
    private static JsonNode awaitJson(String url, java.util.function.Predicate<JsonNode> ready) throws Exception {
        return LocalStack.awaitJson(url, LocalStack.bearerToken("auditor"), Duration.ofSeconds(60), ready);
    }

    private static HttpResponse<String> post(HttpClient client, String operation, PKCS10CertificationRequest csr)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(estBase + operation))
                .header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofString(Base64Body.encode(csr.getEncoded())))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ESTService client(X509Certificate certificate, PrivateKey key) throws Exception {
        return new JsseESTServiceBuilder(authority, trust).withKeyManagers(TestTls.keyManagers(certificate, key)).build();
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
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
    }

    private static X509Certificate read(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    private static String pem(PrivateKey key) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(key);
        }
        return text.toString();
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
