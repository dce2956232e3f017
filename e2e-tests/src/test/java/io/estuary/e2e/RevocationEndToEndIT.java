package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.jcajce.JcaHttpAuthBuilder;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.TestCsrs;
import io.estuary.testkit.TestTls;

/**
 * Revocation on the packaged services with real clients and real Keycloak tokens: an operator revokes a device, and
 * its EST identity and device certificates stop authenticating on the frontend, without a restart; the audit trail
 * records who revoked what and why, and its chain still verifies.
 */
class RevocationEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static Path state;
    private static X509TrustManager[] trust;
    private static String authority;
    private static String renewal;
    private static String audit;

    @BeforeAll
    static void startServices() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider()); // BC's EST client validates the server with it
        }
        state = LocalStack.state();
        root = LocalStack.root();
        LocalStack.script("services-up");
        X509Certificate anchor = read(state.resolve("pki/tls-trust-anchor.pem"));
        trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(anchor, null)), null);
        authority = "localhost:" + LocalStack.env("ESTUARY_EST_PORT");
        renewal = "http://127.0.0.1:" + LocalStack.env("ESTUARY_RENEWAL_PORT");
        audit = "http://127.0.0.1:" + LocalStack.env("ESTUARY_AUDIT_PORT");
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (root != null) {
            LocalStack.script("services-down");
        }
    }

    @Test
    void aRevokedDeviceIsRefusedEverywhereAndTheAuditTrailSaysWhoRevokedIt() throws Exception {
        String device = "e2e-revoked-" + System.currentTimeMillis();
        String password = Files.readString(state.resolve("secrets/demo-password")).strip();
        // An EST identity, enrolled with a password; it enrolls the device certificate over mutual TLS.
        KeyPair identityKey = TestCsrs.ecP256();
        ESTService onIdentityLabel = new JsseESTServiceBuilder(authority, trust).withLabel("est-identity").build();
        X509Certificate identity = first(onIdentityLabel.simpleEnroll(false, csr(device, identityKey),
                new JcaHttpAuthBuilder("estuary", "estuary-demo", password.toCharArray()).build()).getStore());
        HttpClient withIdentity = https(identity, identityKey.getPrivate());
        KeyPair deviceKey = TestCsrs.ecP256();
        HttpResponse<String> enrolled = post(withIdentity, "/simpleenroll", csr(device, deviceKey));
        assertEquals(200, enrolled.statusCode(), enrolled.body());
        X509Certificate deviceCertificate = CertsOnly.decode(Base64Body.decode(enrolled.body())).get(0);
        HttpClient withDevice = https(deviceCertificate, deviceKey.getPrivate());
        // Both certificates are tracked before the device is revoked as a whole.
        String operator = LocalStack.bearerToken("operator");
        awaitJson(renewal + "/renewals/devices/" + device + "/history", operator, node -> node.size() == 2);

        HttpResponse<String> revoked = revoke(operator, Map.of("deviceId", device, "reason", "keyCompromise"));
        assertEquals(201, revoked.statusCode(), revoked.body());
        assertEquals(2, JSON.readTree(revoked.body()).get("revoked").size(), revoked.body());

        // Refused on the frontend within seconds, no restart: re-enrollment and the EST identity alike.
        HttpResponse<String> reenroll = awaitStatus(403, () -> post(withDevice, "/simplereenroll",
                csr(device, deviceKey)));
        assertTrue(reenroll.body().contains("revoked") && reenroll.body().contains("keyCompromise"), reenroll.body());
        HttpResponse<String> byIdentity = awaitStatus(403, () -> post(withIdentity, "/simpleenroll",
                csr(device, TestCsrs.ecP256())));
        assertTrue(byIdentity.body().contains("revoked"), byIdentity.body());

        // Idempotent: the device again, and one certificate by issuer and serial, change nothing.
        HttpResponse<String> again = revoke(operator, Map.of("deviceId", device, "reason", "superseded"));
        assertEquals(200, again.statusCode(), again.body());
        JsonNode repeated = JSON.readTree(again.body());
        assertEquals(0, repeated.get("revoked").size());
        assertEquals(2, repeated.get("alreadyRevoked").size());
        assertEquals("keyCompromise", repeated.get("alreadyRevoked").get(0).get("reason").asText());
        String issuer = identity.getIssuerX500Principal().getName();
        String serial = identity.getSerialNumber().toString(16);
        HttpResponse<String> bySerial = revoke(operator, Map.of("issuer", issuer, "serialNumber", serial,
                "reason", "1"));
        assertEquals(200, bySerial.statusCode(), bySerial.body());
        assertEquals(404, revoke(operator, Map.of("issuer", issuer, "serialNumber", "7e57" + serial.substring(4),
                "reason", "1")).statusCode());
        HttpResponse<String> badReason = revoke(operator, Map.of("issuer", issuer, "serialNumber", serial,
                "reason", "certificateHold"));
        assertEquals(400, badReason.statusCode());
        assertTrue(badReason.body().contains("not a revocation reason"), badReason.body());
        // An auditor may read the trail, not revoke.
        assertEquals(403, revoke(LocalStack.bearerToken("auditor"), Map.of("deviceId", device, "reason", "1"))
                .statusCode());

        // The audit trail: both revocations, by whom and why, once each; and the chain holds.
        String auditor = LocalStack.bearerToken("auditor");
        JsonNode records = awaitJson(audit + "/audit/records?device=" + device + "&outcome=REVOKED", auditor,
                node -> node.get("records").size() >= 2).get("records");
        assertEquals(2, records.size(), records.toString());
        for (JsonNode record : records) {
            assertEquals("estuary-operator", record.get("requester").asText());
            assertEquals("keyCompromise", record.get("reason").asText());
        }
        JsonNode verified = awaitJson(audit + "/audit/verify", auditor, node -> true);
        assertTrue(verified.get("valid").asBoolean(), verified.toString());
    }

    private static HttpResponse<String> revoke(String token, Map<String, String> body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(renewal + "/revocations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** Repeats the call until it answers the status (the frontends follow the revocations within seconds). */
    private static HttpResponse<String> awaitStatus(int status, Call call) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        HttpResponse<String> last = call.send();
        while (last.statusCode() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            last = call.send();
        }
        assertEquals(status, last.statusCode(), last.body());
        return last;
    }

    private static JsonNode awaitJson(String url, String token, Predicate<JsonNode> ready) throws Exception {
        return LocalStack.awaitJson(url, token, Duration.ofSeconds(90), ready);
    }

    /** An HTTPS client trusting the stack's anchor and presenting the certificate. */
    private static HttpClient https(X509Certificate certificate, PrivateKey key) throws Exception {
        return HttpClient.newBuilder().sslContext(TestTls.presenting(state.resolve("pki/tls-trust-anchor.pem"),
                certificate, key)).connectTimeout(Duration.ofSeconds(30)).build();
    }

    private static HttpResponse<String> post(HttpClient client, String operation, PKCS10CertificationRequest csr)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://" + authority + "/.well-known/est" + operation))
                .header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofString(Base64Body.encode(csr.getEncoded())))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PKCS10CertificationRequest csr(String commonName, KeyPair key) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    private static X509Certificate first(org.bouncycastle.util.Store<org.bouncycastle.cert.X509CertificateHolder> store)
            throws Exception {
        return new JcaX509CertificateConverter().getCertificate(ESTService.storeToArray(store)[0]);
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
