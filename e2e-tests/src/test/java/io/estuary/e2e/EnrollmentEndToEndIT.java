package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.TestTls;

/**
 * The whole path on real parts: the four packaged services as separate processes, started by the same script a user
 * runs, against the broker, PostgreSQL and SoftHSM2 token the test command started. Keys and CSRs come from openssl.
 */
@ExtendWith(SharedServices.class)
class EnrollmentEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static Path state;
    private static Path work;
    private static HttpClient https;
    private static String estBase;
    private static String password;

    @BeforeAll
    static void startServices() throws Exception {
        state = LocalStack.state();
        root = LocalStack.root();
        LocalStack.script("services-up");
        work = Files.createTempDirectory("estuary-e2e");
        password = Files.readString(state.resolve("secrets/demo-password")).strip();
        estBase = "https://localhost:" + LocalStack.env("ESTUARY_EST_PORT") + "/.well-known/est";
        https = HttpClient.newBuilder().sslContext(TestTls.trusting(state.resolve("pki/tls-trust-anchor.pem")))
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void anOpensslCsrIsEnrolledOverHttpsAndRecordedDownstream() throws Exception {
        String device = "e2e-device-" + System.currentTimeMillis();
        Path key = work.resolve(device + ".key");
        Path csr = work.resolve(device + ".csr");
        run(List.of("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-subj",
                "/CN=" + device, "-outform", "DER", "-out", csr.toString()), Map.of(), false);
        // The IoT Edge way: 64-column base64 with a Content-Transfer-Encoding header and no Accept.
        HttpResponse<String> enrolled = https.send(HttpRequest.newBuilder(URI.create(estBase + "/simpleenroll"))
                .header("Authorization", basic("estuary-demo", password))
                .header("Content-Type", "application/pkcs10").header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofString(Base64Body.encode(Files.readAllBytes(csr))))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, enrolled.statusCode(), enrolled.body());
        assertEquals("application/pkcs7-mime; smime-type=certs-only",
                enrolled.headers().firstValue("Content-Type").orElseThrow());
        List<X509Certificate> issued = CertsOnly.decode(Base64Body.decode(enrolled.body()));
        assertEquals(1, issued.size());
        X509Certificate certificate = issued.get(0);

        HttpResponse<String> cacerts = https.send(HttpRequest.newBuilder(URI.create(estBase + "/cacerts")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, cacerts.statusCode());
        X509Certificate ca = CertsOnly.decode(Base64Body.decode(cacerts.body())).get(0);

        // Verifies against cacerts, and carries the CSR's public key.
        certificate.verify(ca.getPublicKey());
        assertEquals(ca.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        byte[] csrKey = run(List.of("openssl", "pkey", "-in", key.toString(), "-pubout", "-outform", "DER"), Map.of(),
                false);
        assertArrayEquals(csrKey, certificate.getPublicKey().getEncoded());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), certificate.getExtendedKeyUsage());

        // The CA public key served is the one whose private half is in the HSM: the token signs, the CA key verifies.
        assertTokenHoldsPrivateKeyOf(ca);

        String serial = certificate.getSerialNumber().toString(16);
        JsonNode audit = awaitJson("http://127.0.0.1:" + LocalStack.env("ESTUARY_AUDIT_PORT") + "/issuances?device=" + device,
                "auditor", node -> node.size() == 1);
        assertEquals(serial, audit.get(0).get("serialNumber").asText());
        assertEquals("ISSUED", audit.get(0).get("outcome").asText());
        assertEquals("estuary-demo", audit.get(0).get("requester").asText());
        JsonNode renewal = awaitJson(
                "http://127.0.0.1:" + LocalStack.env("ESTUARY_RENEWAL_PORT") + "/renewals/devices/" + device,
                "operator", node -> node.has("serialNumber"));
        assertEquals(serial, renewal.get("serialNumber").asText());
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant expectedRenewal = notBefore.plus(Duration.between(notBefore, notAfter).multipliedBy(80).dividedBy(100));
        assertEquals(expectedRenewal, Instant.parse(renewal.get("renewAt").asText()));
    }

    @Test
    void theEstListenerSpeaksTlsThroughOpenSsl() throws Exception {
        // The frontend falls back to the JDK's engine, with only a warning, where netty-tcnative does not load.
        String log = Files.readString(state.resolve("logs/est-frontend.log"));
        assertTrue(log.contains("The EST listener's TLS uses BoringSSL"), "est-frontend.log says which TLS engine");
    }

    @Test
    void theWarmUpRehearsedThroughKafkaAndTheListenerBeforeReadiness() throws Exception {
        // The frontend's warm-up used the warm-up topic (which the stack created) and its own TLS listener, the
        // signer's the topic, and none of them was left out. How many answers the listener gave within the suite's
        // 5 s warm-up depends on the machine's load, so only the round trips are counted.
        String frontend = lastWarmUp("est-frontend");
        assertTrue(Pattern.compile("Kafka round trips on estuary\\.warm-up \\([1-9]\\d*\\)")
                .matcher(frontend).find(), frontend);
        assertTrue(Pattern.compile("requests to the listener on port \\d+ \\(\\d+ answered\\)").matcher(frontend)
                .find(), frontend);
        String signer = lastWarmUp("ca-signer");
        assertTrue(Pattern.compile("Kafka round trips on estuary\\.warm-up \\([1-9]\\d*\\)")
                .matcher(signer).find(), signer);
        for (String service : List.of("est-frontend", "ca-signer")) {
            String log = Files.readString(state.resolve("logs/" + service + ".log"));
            assertFalse(log.contains("the warm-up goes on without"), service + ".log: a transport was left out");
        }
    }

    private String lastWarmUp(String service) throws java.io.IOException {
        return Files.readAllLines(state.resolve("logs/" + service + ".log")).stream()
                .filter(line -> line.contains("warmed up in")).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError(service + ".log has no warm-up line"));
    }

    @Test
    void theReadmeCurlFlowWorks() throws Exception {
        String output = new String(run(List.of(root.resolve("deploy/estuary").toString(), "enroll-demo",
                "e2e-curl-" + System.currentTimeMillis()), Map.of(), false), StandardCharsets.UTF_8);
        assertTrue(Files.exists(Path.of(output.strip()).resolve("device.pem")), output);
    }

    @Test
    void badRequestsGetClearErrorsAndTheFrontendStaysUp() throws Exception {
        HttpResponse<String> anonymous = post(null, "application/pkcs10", "AAAA");
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"estuary\"", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, post(basic("estuary-demo", "wrong"), "application/pkcs10", "AAAA").statusCode());
        assertEquals(415, post(basic("estuary-demo", password), "application/json", "{}").statusCode());
        HttpResponse<String> garbage = post(basic("estuary-demo", password), "application/pkcs10", "@@@@");
        assertEquals(400, garbage.statusCode());
        assertTrue(garbage.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        // curl, because it reads the early 413 while still sending; Java's client fails on the broken pipe.
        Path big = work.resolve("big.b64");
        Files.writeString(big, "A".repeat(100_000));
        String status = new String(run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
                state.resolve("pki/tls-trust-anchor.pem").toString(), "-u", "estuary-demo:" + password, "-H",
                "Content-Type: application/pkcs10", "--data-binary", "@" + big, estBase + "/simpleenroll"), Map.of(),
                false), StandardCharsets.UTF_8);
        assertEquals("413", status);
        assertEquals(200, https.send(HttpRequest.newBuilder(URI.create(estBase + "/cacerts")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void theSignerListensOnlyOnItsManagementPort() throws Exception {
        String pid = Files.readString(state.resolve("run/ca-signer.pid")).strip();
        String sockets = new String(run(List.of("ss", "-Hltnp"), Map.of(), false), StandardCharsets.UTF_8);
        List<String> listeners = new ArrayList<>();
        for (String line : sockets.split("\n")) {
            if (line.contains("pid=" + pid + ",")) {
                // e.g. 127.0.0.1:19002 or [::ffff:127.0.0.1]:19002
                listeners.add(line.trim().split("\\s+")[3].replace("[::ffff:", "").replace("]", ""));
            }
        }
        assertEquals(List.of("127.0.0.1:" + LocalStack.env("ESTUARY_SIGNER_MANAGEMENT_PORT")), listeners);
    }

    /**
     * Bouncy Castle's EST client (JSSE) does every operation Estuary offers: cacerts, csrattrs, simpleenroll with HTTP
     * Basic (answering the 401 challenge), simplereenroll authenticated by the issued certificate over mutual TLS, and
     * serverkeygen.
     */
    @Test
    void bouncyCastleEstClientDoesEveryOperation() throws Exception {
        // BC's EST client validates the server path with the BC provider, which a client application registers.
        if (java.security.Security.getProvider("BC") == null) {
            java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }
        X509Certificate trustAnchor = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(state.resolve("pki/tls-trust-anchor.pem"))));
        var trust = org.bouncycastle.est.jcajce.JcaJceUtils.getCertPathTrustManager(
                java.util.Set.of(new java.security.cert.TrustAnchor(trustAnchor, null)), null);
        String authority = "localhost:" + LocalStack.env("ESTUARY_EST_PORT");
        org.bouncycastle.est.ESTService est = new org.bouncycastle.est.jcajce.JsseESTServiceBuilder(authority, trust)
                .build();

        var caCerts = est.getCACerts();
        X509Certificate ca = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                org.bouncycastle.est.ESTService.storeToArray(caCerts.getCertificateStore())[0]);
        assertTrue(est.getCSRAttributes().getAttributesResponse().hasRequirement(
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey));

        String device = "e2e-bc-" + System.currentTimeMillis();
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair key = generator.generateKeyPair();
        var auth = new org.bouncycastle.est.jcajce.JcaHttpAuthBuilder("estuary", "estuary-demo",
                password.toCharArray()).build();
        var enrolled = est.simpleEnroll(false, csr(device, key), auth);
        X509Certificate certificate = first(enrolled.getStore());
        certificate.verify(ca.getPublicKey());
        assertEquals(key.getPublic(), certificate.getPublicKey());

        // Renew with a new key, authenticating with the certificate being renewed (mutual TLS, no password).
        java.security.KeyStore identity = java.security.KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("device", key.getPrivate(), "pw".toCharArray(),
                new java.security.cert.Certificate[] { certificate });
        javax.net.ssl.KeyManagerFactory keyManagers = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(identity, "pw".toCharArray());
        org.bouncycastle.est.ESTService mutualTls = new org.bouncycastle.est.jcajce.JsseESTServiceBuilder(authority,
                trust).withKeyManagers(keyManagers.getKeyManagers()).build();
        java.security.KeyPair newKey = generator.generateKeyPair();
        X509Certificate renewed = first(mutualTls.simpleEnroll(true, csr(device, newKey), null).getStore());
        renewed.verify(ca.getPublicKey());
        assertEquals(newKey.getPublic(), renewed.getPublicKey());
        assertEquals(certificate.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertTrue(!renewed.getSerialNumber().equals(certificate.getSerialNumber()));
        // A re-enrollment for another subject is refused.
        var refused = org.junit.jupiter.api.Assertions.assertThrows(org.bouncycastle.est.ESTException.class,
                () -> mutualTls.simpleEnroll(true, csr("someone-else", newKey), null));
        assertEquals(403, refused.getStatusCode());

        // Server-side key generation: the key comes back with its certificate.
        var generated = est.simpleEnrollWithServersideCreation(csr(device + "-skg", generator.generateKeyPair()),
                auth);
        X509Certificate generatedCertificate = first(generated.getStore());
        generatedCertificate.verify(ca.getPublicKey());
        java.security.PrivateKey privateKey = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
                .getPrivateKey(generated.getPrivateKeyInfo());
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(privateKey);
        signature.update(new byte[] { 1, 2, 3 });
        byte[] signed = signature.sign();
        signature.initVerify(generatedCertificate.getPublicKey());
        signature.update(new byte[] { 1, 2, 3 });
        assertTrue(signature.verify(signed), "the returned key belongs to the returned certificate");
        assertEquals("CN=" + device + "-skg", generatedCertificate.getSubjectX500Principal().getName());
    }

    /** The IoT Edge way with curl and openssl: 64-column base64, a Content-Transfer-Encoding header, no Accept. */
    @Test
    void theIotEdgeStyleCurlScriptEnrollsAnEdgeCa() throws Exception {
        String output = new String(run(List.of(root.resolve("deploy/est-client-iot-edge.sh").toString(),
                "https://localhost:" + LocalStack.env("ESTUARY_EST_PORT") + "/.well-known/est/edge-ca",
                state.resolve("pki/tls-trust-anchor.pem").toString(), "estuary-demo:" + password,
                "aziot-edge CA e2e-" + System.currentTimeMillis(), "edge-ca"), Map.of(), false),
                StandardCharsets.UTF_8);
        Path issued = Path.of(output.strip()).resolve("issued.pem");
        X509Certificate edgeCa = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(issued)));
        assertEquals(0, edgeCa.getBasicConstraints(), "CA:TRUE, pathlen:0");
        assertTrue(edgeCa.getKeyUsage()[5], "keyCertSign");
    }

    private static org.bouncycastle.pkcs.PKCS10CertificationRequest csr(String commonName, java.security.KeyPair key)
            throws Exception {
        return new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=" + commonName), key.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(key.getPrivate()));
    }

    private static X509Certificate first(org.bouncycastle.util.Store<org.bouncycastle.cert.X509CertificateHolder> store)
            throws Exception {
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(org.bouncycastle.est.ESTService.storeToArray(store)[0]);
    }

    /**
     * The benchmark a user runs ({@code deploy/estuary bench}), in miniature: it enrolls through the stack over both
     * kinds of connection, counts no error, sends the signer requests of its own, and writes every table it prints.
     */
    @Test
    void theLoadBenchmarkRunsAgainstTheStack() throws Exception {
        Path out = work.resolve("bench-results.md");
        double issuedBefore = issuedEnrollments();
        LocalStack.scriptOutput("bench", "--warmup", "PT0S", "--concurrency", "2", "--duration", "PT3S",
                "--signer-requests", "20", "--max-csrs", "2000", "--out", out.toString());
        String results = Files.readString(out);
        // The machine the figures came from, processor included.
        assertTrue(Pattern.compile("^Measured \\S+ on \\d+ cores \\([^)]+\\), ").matcher(results).find(), results);
        for (String mode : MODES) {
            // | mode | concurrency | enrollments/s | p50 | p95 | p99 | ok | errors | handshakes resumed |
            Matcher row = Pattern.compile("\\| " + mode + " \\| 2 \\| (\\d+) \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| (\\d+) \\| ([^|]+) \\|")
                    .matcher(results);
            assertTrue(row.find(), "no " + mode + " row in:\n" + results);
            assertTrue(Long.parseLong(row.group(2)) > 0, mode + ": nothing enrolled\n" + results);
            assertEquals("0", row.group(3).strip(), mode + ": errors\n" + results);
            // CPU per enrollment of every process, then the machine's reference speed before the row. The figures
            // of a three-second row are noise: their presence is checked, not their values (ProcessCpuTest checks
            // the accounting).
            Matcher cpu = Pattern.compile("\\| " + mode + " \\| 2 \\|(?: -?[\\d.]+ \\|){9} (\\d+) \\|").matcher(results);
            assertTrue(cpu.find(), "no CPU row for " + mode + " in:\n" + results);
            assertTrue(Long.parseLong(cpu.group(1)) > 0, results);
        }
        // A full handshake for every new connection in one mode, a resumed session after the first in the other.
        Matcher full = Pattern.compile("\\| new TLS per request \\| 2 \\|[^\\n]*\\| 0 of (\\d+) \\|").matcher(results);
        assertTrue(full.find() && Long.parseLong(full.group(1)) > 2, "no session resumed:\n" + results);
        Matcher resumed = Pattern.compile("\\| new TLS, resumed session \\| 2 \\|[^\\n]*\\| (\\d+) of (\\d+) \\|")
                .matcher(results);
        assertTrue(resumed.find(), results);
        assertEquals(Long.parseLong(resumed.group(2)) - 2, Long.parseLong(resumed.group(1)),
                "every handshake but each worker's first resumed:\n" + results);
        assertTrue(Pattern.compile("Signer alone \\(Kafka in, HSM signature, Kafka out\\): 20 certificates in ")
                .matcher(results).find(), results);
        // The frontend's counter moved by exactly the enrollments the benchmark made through it.
        long enrolled = 0;
        for (String mode : MODES) {
            Matcher row = Pattern.compile("\\| " + mode + " \\| 2 \\| \\d+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| (\\d+) \\|")
                    .matcher(results);
            assertTrue(row.find(), results);
            enrolled += Long.parseLong(row.group(1));
        }
        assertEquals(enrolled, Math.round(issuedEnrollments() - issuedBefore), results);
    }

    @Test
    void theOcspBenchmarkRunsAgainstTheStack() throws Exception {
        Path out = work.resolve("bench-results-ocsp.md");
        LocalStack.scriptOutput("bench", "--ocsp", "--fleet", "200", "--concurrency", "2", "--duration", "PT2S",
                "--out", out.toString());
        String results = Files.readString(out);
        assertTrue(Pattern.compile("^Measured \\S+ on \\d+ cores \\([^)]+\\), ").matcher(results).find(), results);
        assertTrue(results.contains("Fleet: 200 certificates issued for this run"), results);
        for (String row : List.of("first answer per certificate \\(signed, then kept\\)",
                "no nonce, RFC 5019 \\(kept answers\\)", "with nonce \\(signed per request\\)")) {
            // | requests | concurrency | answers/s | p50 | p95 | p99 | ok | errors |: every answer's status was checked
            Matcher line = Pattern.compile("\\| " + row + " \\| 2 \\| (\\d+) \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| "
                    + "(\\d+) \\| ([^|]+) \\|").matcher(results);
            assertTrue(line.find(), "no row " + row + " in:\n" + results);
            assertTrue(Long.parseLong(line.group(2)) > 0, row + ": nothing answered\n" + results);
            assertTrue(line.group(3).strip().matches("0( \\(.*\\))?"), row + ": errors\n" + results);
        }
        // The 20 revoked here, and whatever other tests revoked before.
        Matcher crl = Pattern.compile("CRL at \\S+: (\\d+) entries, \\d+ bytes, signature valid").matcher(results);
        assertTrue(crl.find() && Long.parseLong(crl.group(1)) >= 20, results);
    }

    /** The benchmark's rows: three kinds of connection, and the retries of the kept-alive row's requests. */
    private static final List<String> MODES = List.of("kept alive", "kept alive, retries", "new TLS per request",
            "new TLS, resumed session");

    /** Every enrollment the frontend answered with a certificate, over labels and operations. */
    private static double issuedEnrollments() throws Exception {
        return metrics(LocalStack.env("ESTUARY_FRONTEND_MANAGEMENT_PORT")).lines()
                .filter(line -> line.startsWith("estuary_enrollments_total{") && line.contains("outcome=\"issued\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String metrics(String port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /**
     * What the alerting rules and the dashboard in deploy/ query exists: every {@code estuary_} metric they name is
     * exported by one of the four services, from the start.
     */
    @Test
    void everyMetricTheAlertsAndTheDashboardNameIsExported() throws Exception {
        // The fleet gauges exist per label once the renewal tracker counts a device on it: enroll one.
        anOpensslCsrIsEnrolledOverHttpsAndRecordedDownstream();
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (String file : List.of("deploy/prometheus/estuary-alerts.yml", "deploy/grafana/estuary-dashboard.json")) {
            Matcher name = Pattern.compile("estuary_\\w+").matcher(Files.readString(root.resolve(file)));
            while (name.find()) {
                named.add(name.group().replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        assertTrue(named.size() > 10, named.toString());
        java.util.Set<String> families = new java.util.TreeSet<>();
        // The renewal gauges are refreshed every 30 s.
        for (Instant deadline = Instant.now().plusSeconds(120); ; Thread.sleep(2000)) {
            StringBuilder exported = new StringBuilder();
            for (String port : List.of("ESTUARY_FRONTEND_MANAGEMENT_PORT", "ESTUARY_SIGNER_MANAGEMENT_PORT",
                    "ESTUARY_AUDIT_PORT", "ESTUARY_RENEWAL_PORT", "ESTUARY_REVOCATION_PORT")) {
                exported.append(metrics(LocalStack.env(port)));
            }
            Matcher type = Pattern.compile("(?m)^# TYPE (estuary_\\w+) ").matcher(exported);
            while (type.find()) {
                families.add(type.group(1));
            }
            if (named.stream().allMatch(metric -> exportedAs(metric, families)) || Instant.now().isAfter(deadline)) {
                break;
            }
        }
        named.removeIf(metric -> exportedAs(metric, families));
        assertTrue(named.isEmpty(), "named but not exported: " + named + "\nexported: " + families);
    }

    /**
     * The local Prometheus a user starts beside the stack ({@code deploy/estuary prometheus-up}) scrapes every service
     * that exports metrics and has loaded every alerting rule; {@code prometheus-down} stops it.
     */
    @Test
    void theLocalPrometheusScrapesEveryServiceWithTheAlertingRules() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = Map.of("ESTUARY_PROMETHEUS_PORT", String.valueOf(port),
                "ESTUARY_PROMETHEUS_SCRAPE_INTERVAL", "2s");
        Path script = root.resolve("deploy/estuary");
        java.util.Set<String> expected = java.util.Set.of("estuary-est-frontend", "estuary-ca-signer",
                "estuary-audit-service", "estuary-renewal-scheduler", "estuary-revocation-responder");
        run(List.of(script.toString(), "prometheus-up"), env, true);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port + "/api/v1/";
            JsonNode targets = null;
            for (Instant deadline = Instant.now().plusSeconds(60); Instant.now().isBefore(deadline); Thread.sleep(1000)) {
                targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "targets")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).path("data").path("activeTargets");
                long up = 0;
                for (JsonNode target : targets) {
                    up += "up".equals(target.path("health").asText()) ? 1 : 0;
                }
                if (up == expected.size()) {
                    break;
                }
            }
            java.util.Set<String> jobs = new java.util.TreeSet<>();
            for (JsonNode target : targets) {
                assertEquals("up", target.path("health").asText(), target.toString());
                jobs.add(target.path("labels").path("job").asText());
            }
            assertEquals(expected, jobs);
            String rules = http.send(HttpRequest.newBuilder(URI.create(base + "rules")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String alert : List.of("EstuarySignerDown", "EstuaryTokenUnavailable", "EstuaryAuditHeadStale",
                    "EstuaryCaCertificateExpiring")) {
                assertTrue(rules.contains("\"" + alert + "\""), alert + " not loaded: " + rules);
            }
        } finally {
            run(List.of(script.toString(), "prometheus-down"), env, true);
        }
        assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * Each service describes its API at /q/openapi: the EST operations with their media types, the CA information,
     * audit and renewal APIs with their paths.
     */
    @Test
    void everyServiceDescribesItsApi() throws Exception {
        JsonNode frontend = openApi(LocalStack.env("ESTUARY_FRONTEND_MANAGEMENT_PORT")).path("paths");
        JsonNode enroll = frontend.path("/.well-known/est/{label}/simpleenroll").path("post");
        assertTrue(enroll.path("requestBody").path("content").has("application/pkcs10"), enroll.toString());
        assertTrue(enroll.path("responses").path("200").path("content")
                .has("application/pkcs7-mime; smime-type=certs-only"), enroll.toString());
        assertTrue(enroll.path("responses").has("202"), enroll.toString());
        assertTrue(frontend.path("/.well-known/est/csrattrs").path("get").path("responses").path("200")
                .path("content").has("application/csrattrs"), frontend.toString());
        assertTrue(frontend.path("/.well-known/est/serverkeygen").path("post").path("responses").path("200")
                .path("content").has("multipart/mixed"), frontend.toString());
        assertTrue(frontend.has("/api/cas"), frontend.toString());
        JsonNode audit = openApi(LocalStack.env("ESTUARY_AUDIT_PORT")).path("paths");
        for (String path : List.of("/audit/records", "/audit/verify", "/audit/verifications", "/issuances")) {
            assertTrue(audit.has(path), path + " in " + audit);
        }
        JsonNode renewal = openApi(LocalStack.env("ESTUARY_RENEWAL_PORT")).path("paths");
        for (String path : List.of("/renewals/summary", "/renewals/due", "/renewals/devices/{deviceId}")) {
            assertTrue(renewal.has(path), path + " in " + renewal);
        }
    }

    private static JsonNode openApi(String port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static boolean exportedAs(String metric, java.util.Set<String> families) {
        return families.contains(metric) || families.contains(metric.replaceAll("_total$", ""));
    }

    /** The profiler a user runs beside the benchmark ({@code deploy/estuary profile}) attaches and writes both files. */
    @Test
    void theProfilerSamplesARunningService() throws Exception {
        List<String> files = LocalStack.scriptOutput("profile", "ca-signer", "--seconds", "2").lines().toList();
        assertEquals(2, files.size(), "the flame graph and the stacks: " + files);
        String flameGraph = Files.readString(Path.of(files.get(0)));
        assertTrue(files.get(0).endsWith(".html") && flameGraph.contains("<html"), files.get(0));
        assertTrue(files.get(1).endsWith(".collapsed") && Files.exists(Path.of(files.get(1))), files.get(1));
    }

    private static void assertTokenHoldsPrivateKeyOf(X509Certificate ca) throws Exception {
        Path data = work.resolve("challenge");
        Path signature = work.resolve("challenge.sig");
        byte[] challenge = ("estuary e2e challenge " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        boolean ec = "EC".equals(ca.getPublicKey().getAlgorithm());
        // SoftHSM2 offers raw ECDSA only: the token signs the SHA-256 digest, Java verifies it as NONEwithECDSA.
        Files.write(data, ec ? java.security.MessageDigest.getInstance("SHA-256").digest(challenge) : challenge);
        String mechanism = ec ? "ECDSA" : "SHA256-RSA-PKCS";
        Map<String, String> hsmEnv = Map.of("SOFTHSM2_CONF", state.resolve("hsm/softhsm2.conf").toString());
        String pin = Files.readString(state.resolve("secrets/hsm-pin")).strip();
        run(List.of("pkcs11-tool", "--module", "/usr/lib/softhsm/libsofthsm2.so", "--token-label", "estuary-ca",
                // SunPKCS11 names a key by its CKA_ID (the alias's bytes), not its label; the token also holds the
                // OCSP responder's key, so the CA's is picked by its ID.
                "--login", "--pin", pin, "--sign", "--mechanism", mechanism, "--id",
                java.util.HexFormat.of().formatHex("estuary-ca".getBytes(StandardCharsets.US_ASCII)),
                "--signature-format", "openssl", "--input-file", data.toString(), "--output-file",
                signature.toString()), hsmEnv, false);
        Signature verifier = Signature.getInstance(ec ? "NONEwithECDSA" : "SHA256withRSA");
        verifier.initVerify(ca.getPublicKey());
        verifier.update(Files.readAllBytes(data));
        assertTrue(verifier.verify(Files.readAllBytes(signature)), "the token's key signs for the served CA");
        String objects = new String(run(List.of("pkcs11-tool", "--module", "/usr/lib/softhsm/libsofthsm2.so",
                "--token-label", "estuary-ca", "--login", "--pin", pin, "--list-objects", "--type", "privkey"), hsmEnv,
                false), StandardCharsets.UTF_8);
        assertTrue(objects.contains("never extractable"), objects);
    }

    private static HttpResponse<String> post(String authorization, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(estBase + "/simpleenroll"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls an operator API with a bearer token of the role it needs until the answer is ready. */
    private static JsonNode awaitJson(String url, String role, java.util.function.Predicate<JsonNode> ready)
            throws Exception {
        return LocalStack.awaitJson(url, LocalStack.bearerToken(role), Duration.ofSeconds(30), ready);
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs a command; returns its standard output, fails with its output on a non-zero exit. */
    private static byte[] run(List<String> command, Map<String, String> extraEnv, boolean showOutput)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(extraEnv);
        if (showOutput) {
            builder.inheritIO();
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process process = builder.start();
        byte[] output = showOutput ? new byte[0] : process.getInputStream().readAllBytes();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command.subList(0, Math.min(2, command.size())))
                    + " exited " + exit + ": " + new String(output, StandardCharsets.UTF_8));
        }
        return output;
    }
}
