package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;

/**
 * Enrollment credentials made by the operator command {@code deploy/estuary provision-device} in the Keycloak the test
 * command started, used against the packaged services: 200 on the labels the credential names, 403 elsewhere, 401 for
 * a wrong password, and 429 once a credential has failed too often.
 */
@ExtendWith(SharedServices.class)
class KeycloakCredentialsEndToEndIT {
    private static Path root;
    private static HttpClient https;
    private static String estBase;

    @BeforeAll
    static void startServices() throws Exception {
        String stateDir = System.getenv("ESTUARY_STATE");
        if (stateDir == null) {
            fail("run the end-to-end tests through the test command: deploy/estuary test");
        }
        root = Path.of(System.getenv().getOrDefault("ESTUARY_ROOT", Path.of("..").toAbsolutePath().toString()));
        LocalStack.script("services-up");
        estBase = "https://localhost:" + System.getenv("ESTUARY_EST_PORT") + "/.well-known/est";
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("estuary", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(Path.of(stateDir, "pki/tls-trust-anchor.pem")))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aProvisionedDeviceEnrollsOnItsLabelOnly() throws Exception {
        String device = "e2e-kc-" + System.currentTimeMillis();
        Map<String, String> credential = provision(device, "edge-ca,tls-server");
        assertEquals(device, credential.get("username"));
        String password = credential.get("password");

        HttpResponse<String> issued = enroll("/tls-server/simpleenroll", device, password, csr(device));
        assertEquals(200, issued.statusCode(), issued.body());
        X509Certificate certificate = CertsOnly.decode(Base64Body.decode(issued.body())).get(0);
        assertEquals("CN=" + device, certificate.getSubjectX500Principal().getName());

        HttpResponse<String> refused = enroll("/simpleenroll", device, password, csr(device));
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("may not enroll on label 'default'"), refused.body());

        assertEquals(401, enroll("/tls-server/simpleenroll", device, password + "x", csr(device)).statusCode());
    }

    @Test
    void repeatedFailuresAre429WithRetryAfter() throws Exception {
        String device = "e2e-kc-limit-" + System.currentTimeMillis();
        String password = provision(device, "default").get("password");
        int status = 0;
        HttpResponse<String> last = null;
        // The shipped limit is 5 failures per identity in 5 minutes.
        for (int i = 0; i < 8 && status != 429; i++) {
            last = enroll("/simpleenroll", device, "wrong-" + i, csr(device));
            status = last.statusCode();
        }
        assertEquals(429, status);
        assertTrue(Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow()) > 0);
        // Blocked even with the right password until the window passes.
        assertEquals(429, enroll("/simpleenroll", device, password, csr(device)).statusCode());
    }

    private static HttpResponse<String> enroll(String path, String user, String password, String body)
            throws Exception {
        return https.send(HttpRequest.newBuilder(URI.create(estBase + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/pkcs10").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csr(String commonName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        return Base64Body.encode(new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=" + commonName), key.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(key.getPrivate())).getEncoded());
    }

    /** Runs the operator command and reads the credential it prints once. */
    private static Map<String, String> provision(String device, String labels) throws Exception {
        String output = LocalStack.scriptOutput("provision-device", device, "--labels", labels);
        Map<String, String> fields = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2) {
                fields.put(parts[0], parts[1]);
            }
        }
        assertTrue(fields.containsKey("password"), output);
        return fields;
    }
}
