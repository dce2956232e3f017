package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.TestCsrs;
import io.estuary.testkit.TestTls;

/**
 * The compose project (docker-compose.yml) on podman, as a user runs it: images built by {@code deploy/estuary images},
 * {@code podman-compose up}, enrollment through HAProxy by the IoT Edge client script with a password and with an EST
 * identity, then a steady load during which a frontend, a signer and a Kafka broker are killed and started again.
 * Every certificate a client received must be in the audit trail exactly once and the chain must verify. A revoked EST
 * identity is then refused by each frontend in turn and reported by the project's OCSP responder and CRL; the
 * project's console signs an operator in and shows that identity; and {@code down -v} must leave nothing behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_DEADLINE = Duration.ofMinutes(12);
    /** Enrollments in a row, each on a new connection, that tell the project serves. */
    private static final int READY_IN_A_ROW = 6;

    private static Path root;
    private static Path work;
    private static String project;
    private static Map<String, String> composeEnvironment;
    private static String estBase;
    private static String keycloakBase;
    private static String auditBase;
    private static Path trustAnchor;
    private static String demoPassword;
    private static HttpClient https;
    private static String renewalBase;
    private static Path estIdentity;

    @BeforeAll
    static void startCompose() throws Exception {
        root = LocalStack.root();
        LocalStack.state(); // fails clearly outside the test command
        work = Files.createTempDirectory("estuary-containers");
        String slot = System.getenv().getOrDefault("ESTUARY_TEST_SLOT", "0");
        project = "estuary-it" + slot;
        // Images of the test slot's own tag: two checkouts tested at once (a CI run beside a developer's) would each
        // run the other's images under the shared project version. Layers are cached, so the tag costs no rebuild.
        String imageTag = "test-slot-" + slot;
        composeEnvironment = Map.of("CONTAINERS_CONF", root.resolve("deploy/containers/containers.conf").toString(),
                "ESTUARY_IMAGE_TAG", imageTag,
                "ESTUARY_EST_PORT", LocalStack.env("ESTUARY_COMPOSE_EST_PORT"),
                "ESTUARY_KEYCLOAK_PORT", LocalStack.env("ESTUARY_COMPOSE_KEYCLOAK_PORT"),
                "ESTUARY_AUDIT_PORT", LocalStack.env("ESTUARY_COMPOSE_AUDIT_PORT"),
                "ESTUARY_RENEWAL_PORT", LocalStack.env("ESTUARY_COMPOSE_RENEWAL_PORT"),
                "ESTUARY_REVOCATION_PORT", LocalStack.env("ESTUARY_COMPOSE_REVOCATION_PORT"),
                "ESTUARY_CRL_URL", "http://localhost:" + LocalStack.env("ESTUARY_COMPOSE_REVOCATION_PORT")
                        + "/crl/estuary-ca.crl",
                "ESTUARY_OCSP_URL", "http://localhost:" + LocalStack.env("ESTUARY_COMPOSE_REVOCATION_PORT") + "/ocsp",
                "ESTUARY_CONSOLE_PORT", LocalStack.env("ESTUARY_COMPOSE_CONSOLE_PORT"));
        estBase = "https://localhost:" + composeEnvironment.get("ESTUARY_EST_PORT") + "/.well-known/est";
        keycloakBase = "http://127.0.0.1:" + composeEnvironment.get("ESTUARY_KEYCLOAK_PORT");
        auditBase = "http://127.0.0.1:" + composeEnvironment.get("ESTUARY_AUDIT_PORT");
        renewalBase = "http://127.0.0.1:" + composeEnvironment.get("ESTUARY_RENEWAL_PORT");

        LocalStack.script("services-down"); // the compose project needs both cores to start in time
        LocalStack.script("images", Map.of("ESTUARY_IMAGE_TAG", imageTag));
        run(List.of("podman-compose", "-p", project, "down", "-v"), false);
        run(List.of("podman", "network", "prune", "-f", "--filter", "label=io.podman.compose.project=" + project),
                false);
        // An earlier run's stale DNS file or port rule would leave the project without names or its front door.
        run(List.of(root.resolve("deploy/estuary").toString(), "compose-leftovers", project), true);
        run(List.of("podman-compose", "-p", project, "up", "-d"), true);
        awaitInit();

        trustAnchor = volume("pki").resolve("tls-trust-anchor.pem");
        demoPassword = Files.readString(volume("secrets").resolve("demo-password")).strip();
        https = HttpClient.newBuilder().sslContext(TestTls.trusting(trustAnchor))
                .connectTimeout(Duration.ofSeconds(10)).build();
        awaitEnrollment();
    }

    /**
     * Waits for the init job to finish: podman-compose starts the services without waiting for it, and they wait for
     * what it writes (a service reads its PIN before it opens the token, and init writes each PIN last).
     */
    private static void awaitInit() throws Exception {
        String init = project + "_init_1";
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        String state = run(List.of("podman", "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", init), true)
                .strip();
        while (!state.startsWith("exited") && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            state = run(List.of("podman", "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", init), true)
                    .strip();
        }
        assertEquals("exited 0", state, "the init job\n" + containerReport());
    }

    @AfterAll
    static void stopCompose() throws Exception {
        if (project == null) {
            return;
        }
        String label = "label=io.podman.compose.project=" + project;
        run(List.of("podman-compose", "-p", project, "down", "-v"), true);
        // podman-compose 1.0.3 (Debian 12) leaves the project's networks; docs/containers.md gives the same step.
        run(List.of("podman", "network", "prune", "-f", "--filter", label), true);
        run(List.of(root.resolve("deploy/estuary").toString(), "compose-leftovers", project), true);
        assertEquals("", run(List.of("podman", "ps", "-a", "-q", "--filter", label), true).strip(),
                "containers left behind");
        assertEquals("", run(List.of("podman", "volume", "ls", "-q", "--filter", label), true).strip(),
                "volumes left behind");
        assertEquals("", run(List.of("podman", "network", "ls", "-q", "--filter", label), true).strip(),
                "networks left behind");
    }

    @Test
    @Order(1)
    void theIotEdgeClientEnrollsThroughTheFrontDoorWithAPasswordAndWithAnEstIdentity() throws Exception {
        // The password gets the device its EST identity; the identity then enrolls over mutual TLS, which works only
        // if HAProxy passes TLS through to a frontend.
        Path identity = Path.of(iotEdgeScript(estBase + "/est-identity", "compose-identity",
                "estuary-demo:" + demoPassword, Map.of()));
        X509Certificate issued = read(identity.resolve("issued.pem"));
        assertEquals("CN=compose-identity", issued.getSubjectX500Principal().getName());

        Path renewed = Path.of(iotEdgeScript(estBase, "compose-identity", "-", Map.of(
                "EST_IDENTITY_CERT", identity.resolve("issued.pem").toString(),
                "EST_IDENTITY_KEY", identity.resolve("key.pem").toString())));
        X509Certificate second = read(renewed.resolve("issued.pem"));
        estIdentity = identity;
        assertEquals("CN=compose-identity", second.getSubjectX500Principal().getName());
        assertTrue(!second.getSerialNumber().equals(issued.getSerialNumber()), "a new certificate over mutual TLS");
        // The image carries the native TLS engine, and it loads there.
        for (String frontend : List.of("_est-frontend-1_1", "_est-frontend-2_1")) {
            assertTrue(runWithErrors(List.of("podman", "logs", project + frontend))
                    .contains("The EST listener's TLS uses BoringSSL"), project + frontend);
        }
    }

    @Test
    @Order(2)
    void underLoadAFrontendASignerAndABrokerDieAndComeBackWithNothingLostOrIssuedTwice() throws Exception {
        Map<String, String> received = new ConcurrentHashMap<>(); // device -> serial (hex) the client received
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(clients.submit(() -> {
                while (loading.get()) {
                    String device = "compose-load-" + next.incrementAndGet();
                    received.put(device, enrollUntilAnswered(device));
                }
                return null;
            }));
        }
        Thread.sleep(20_000);
        List<String> victims = List.of(project + "_est-frontend-1_1", project + "_ca-signer-1_1",
                project + "_kafka-2_1");
        run(concat(List.of("podman", "kill"), victims), true);
        Thread.sleep(20_000);
        run(concat(List.of("podman", "start"), victims), true);
        Thread.sleep(40_000);
        loading.set(false);
        for (Future<?> client : running) {
            client.get(10, TimeUnit.MINUTES);
        }
        clients.shutdown();
        assertTrue(received.size() >= 10, "enrollments under load: " + received.size());

        String token = token("auditor");
        Map<String, List<String>> issued = awaitAudited(received, token);
        for (Map.Entry<String, String> entry : received.entrySet()) {
            assertEquals(List.of(entry.getValue()), issued.get(entry.getKey()),
                    "issuances recorded for " + entry.getKey());
        }
        HttpResponse<String> verify = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(auditBase + "/audit/verify")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, verify.statusCode(), verify.body());
    }

    @Test
    @Order(3)
    void aRevokedEstIdentityIsRefusedByEachFrontendWithoutARestart() throws Exception {
        assertTrue(estIdentity != null, "the EST identity of the first test");
        X509Certificate identity = read(estIdentity.resolve("issued.pem"));
        PrivateKey key;
        try (PEMParser pem = new PEMParser(Files.newBufferedReader(estIdentity.resolve("key.pem")))) {
            key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) pem.readObject());
        }
        HttpClient withIdentity = HttpClient.newBuilder().sslContext(TestTls.presenting(trustAnchor, identity, key))
                .connectTimeout(Duration.ofSeconds(10)).build();
        String operator = token("operator");
        LocalStack.awaitJson(renewalBase + "/renewals/devices/compose-identity/history", operator,
                Duration.ofMinutes(2), node -> node.size() >= 2);
        HttpResponse<String> revoked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(renewalBase + "/revocations")).header("Authorization", "Bearer " + operator)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"compose-identity\",\"reason\":\"keyCompromise\"}"))
                .timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, revoked.statusCode(), revoked.body());

        // Each frontend in turn is the only one HAProxy can reach: the other is paused (frozen, not restarted), so
        // the one answering has followed the revocation while it kept running.
        String first = project + "_est-frontend-1_1";
        String second = project + "_est-frontend-2_1";
        for (List<String> pair : List.of(List.of(first, second), List.of(second, first))) {
            run(List.of("podman", "pause", pair.get(1)), true);
            try {
                HttpResponse<String> refused = awaitRefusal(withIdentity);
                assertTrue(refused.body().contains("revoked") && refused.body().contains("keyCompromise"),
                        pair.get(0) + ": " + refused.body());
            } finally {
                run(List.of("podman", "unpause", pair.get(1)), true);
            }
        }

        // Relying parties learn of it from the responder the certificate names: OCSP, and the CRL at its URL.
        String ocspUrl = composeEnvironment.get("ESTUARY_OCSP_URL");
        String crlUrl = composeEnvironment.get("ESTUARY_CRL_URL");
        String extensions = new String(identity.getExtensionValue("1.3.6.1.5.5.7.1.1"), StandardCharsets.ISO_8859_1)
                + new String(identity.getExtensionValue("2.5.29.31"), StandardCharsets.ISO_8859_1);
        assertTrue(extensions.contains(ocspUrl) && extensions.contains(crlUrl), "the certificate names the responder");
        String ca = estIdentity.resolve("ca.pem").toString();
        List<String> ocsp = List.of("openssl", "ocsp", "-issuer", ca, "-CAfile", ca, "-url", ocspUrl, "-cert",
                estIdentity.resolve("issued.pem").toString());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        String answer = runWithErrors(ocsp);
        while (!answer.contains(": revoked") && Instant.now().isBefore(deadline)) {
            Thread.sleep(2000);
            answer = runWithErrors(ocsp);
        }
        if (!answer.contains(": revoked") || !answer.contains("Reason: keyCompromise")) {
            fail("openssl ocsp against " + ocspUrl + " answered: " + answer + "\n" + containerReport());
        }
        X509CRL crl = null;
        while (Instant.now().isBefore(deadline) && (crl == null || !crl.isRevoked(identity))) {
            Thread.sleep(2000);
            HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(crlUrl))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (fetched.statusCode() == 200) {
                crl = (X509CRL) CertificateFactory.getInstance("X.509")
                        .generateCRL(new ByteArrayInputStream(fetched.body()));
            }
        }
        if (crl == null || !crl.isRevoked(identity)) {
            fail("the CRL at " + crlUrl + " does not list the revoked identity\n" + containerReport());
        }
    }

    /**
     * The project's console signs an operator in through the project's Keycloak (the browser on its published port,
     * the console by its container name), shows the identity's certificates from the renewal API and the CA chain
     * from the frontends through the front door, and signs out through Keycloak again.
     */
    @Test
    @Order(4)
    void theConsoleSignsAnOperatorInAndReadsTheProjectsApis() throws Exception {
        String console = "http://127.0.0.1:" + composeEnvironment.get("ESTUARY_CONSOLE_PORT");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        int ready = 0;
        while (ready != 200 && Instant.now().isBefore(deadline)) {
            try {
                ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(console + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                ready = 0;
            }
            if (ready != 200) {
                Thread.sleep(2000);
            }
        }
        assertEquals(200, ready, "the console's readiness\n" + containerReport());
        Duration wait = Duration.ofSeconds(120);
        WebDriver browser = HeadlessChromium.start(wait);
        try {
            WebDriverWait until = new WebDriverWait(browser, wait);
            browser.get(console + "/devices/compose-identity");
            until.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys("estuary-operator");
            browser.findElement(By.id("password"))
                    .sendKeys(Files.readString(volume("secrets").resolve("operator-password")).strip());
            browser.findElement(By.id("kc-login")).click();
            String who = until.until(ExpectedConditions.presenceOfElementLocated(By.id("who"))).getText();
            assertTrue(who.contains("estuary-operator"), who);
            assertTrue(browser.getCurrentUrl().startsWith(console + "/devices/compose-identity"),
                    browser.getCurrentUrl());
            // Enrolled, then renewed with itself, in the first test.
            int certificates = browser.findElements(By.cssSelector("#certificates tbody tr")).size();
            assertTrue(certificates >= 2, "certificates shown: " + certificates + "\n" + shown(browser));

            browser.get(console + "/cas");
            until.until(ExpectedConditions.presenceOfElementLocated(By.id("ca-estuary-ca")));

            browser.findElement(By.id("sign-out")).click();
            until.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-out")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(shown(browser) + "\n" + containerReport(), e);
        } finally {
            browser.quit();
        }
    }

    private static String shown(WebDriver browser) {
        String text = browser.findElement(By.tagName("body")).getText();
        return "at " + browser.getCurrentUrl() + " the page shows: " + text.substring(0, Math.min(text.length(), 2000));
    }

    /** Mutual-TLS enrollments with the identity through the front door until one is refused with 403. */
    private static HttpResponse<String> awaitRefusal(HttpClient withIdentity) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        String last = "nothing";
        while (Instant.now().isBefore(deadline)) {
            try {
                // A request HAProxy sent to the paused frontend before its check failed times out; the next one
                // goes to the running frontend.
                HttpResponse<String> response = withIdentity.send(HttpRequest.newBuilder(
                        URI.create(estBase + "/simpleenroll")).header("Content-Type", "application/pkcs10")
                        .POST(HttpRequest.BodyPublishers.ofString(Base64Body.encode(
                                TestCsrs.csr("compose-identity", TestCsrs.ecP256()))))
                        .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 403) {
                    return response;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("the revoked EST identity was not refused within 2 minutes; last answer: " + last);
    }

    /** One enrollment, sent again with the same CSR until a certificate comes back: what a device does. */
    private static String enrollUntilAnswered(String device) throws Exception {
        byte[] csr = TestCsrs.csr(device, TestCsrs.ecP256());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        String last = "nothing";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = simpleenroll(csr);
                if (response.statusCode() == 200) {
                    return CertsOnly.decode(Base64Body.decode(response.body())).get(0).getSerialNumber().toString(16);
                }
                if (response.statusCode() != 202 && response.statusCode() < 500) {
                    fail(device + ": " + response.statusCode() + " " + response.body());
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(device + " got no certificate within 5 minutes; last answer: " + last);
    }

    /** A simpleenroll through the front door with the demo credential. */
    private static HttpResponse<String> simpleenroll(byte[] csr) throws IOException, InterruptedException {
        return simpleenroll(https, csr);
    }

    private static HttpResponse<String> simpleenroll(HttpClient client, byte[] csr)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(estBase + "/simpleenroll"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("estuary-demo:" + demoPassword).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/pkcs10").header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofString(Base64Body.encode(csr)))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The ISSUED records of the devices the clients enrolled, once all of them are in the trail. */
    private static Map<String, List<String>> awaitAudited(Map<String, String> received, String token)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            HttpResponse<String> export = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(auditBase + "/audit/export.jsonl?outcome=ISSUED"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, export.statusCode(), export.body());
            Map<String, List<String>> issued = new HashMap<>();
            for (String line : export.body().split("\n")) {
                if (!line.isBlank()) {
                    JsonNode record = JSON.readTree(line);
                    issued.computeIfAbsent(record.path("deviceId").asText(), d -> new ArrayList<>())
                            .add(record.path("serialNumber").asText());
                }
            }
            if (issued.keySet().containsAll(received.keySet())) {
                return issued;
            }
            if (Instant.now().isAfter(deadline)) {
                List<String> missing = new ArrayList<>(received.keySet());
                missing.removeAll(issued.keySet());
                fail("not in the audit trail after 5 minutes: " + missing);
            }
            Thread.sleep(3000);
        }
    }

    /** A bearer token of the project's Keycloak for estuary-operator or estuary-auditor. */
    private static String token(String user) throws Exception {
        String password = Files.readString(volume("secrets").resolve(user + "-password")).strip();
        String form = "grant_type=password&client_id=estuary-cli&username=estuary-" + user + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(keycloakBase + "/realms/estuary/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    /** Waits until a password enrollment through the front door succeeds: every part of the project is up. */
    private static void awaitEnrollment() throws Exception {
        Instant deadline = Instant.now().plus(START_DEADLINE);
        String last = "nothing";
        int inARow = 0;
        while (Instant.now().isBefore(deadline)) {
            // Each on a new connection, which HAProxy may give to either frontend: one frontend enrolling is not the
            // project enrolling (the other's first password check can still outlast its Keycloak timeout).
            HttpClient fresh = HttpClient.newBuilder().sslContext(TestTls.trusting(trustAnchor))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            try {
                HttpResponse<String> response = simpleenroll(fresh,
                        TestCsrs.csr("compose-ready", TestCsrs.ecP256()));
                if (response.statusCode() == 200 && ++inARow == READY_IN_A_ROW) {
                    return;
                }
                if (response.statusCode() != 200) {
                    inARow = 0;
                    last = response.statusCode() + " " + response.body();
                }
            } catch (IOException e) {
                inARow = 0;
                last = e.toString();
            }
            Thread.sleep(inARow > 0 ? 200 : 3000);
        }
        fail("the compose project did not enroll within " + START_DEADLINE + "; last answer: " + last + "\n"
                + containerReport());
    }

    /**
     * Every container's state and the last lines of its log, for a failure to be read from the test's output alone;
     * the whole logs go to {@code target/compose-logs}.
     */
    private static String containerReport() throws Exception {
        String label = "label=io.podman.compose.project=" + project;
        StringBuilder report = new StringBuilder(run(List.of("podman", "ps", "-a", "--filter", label, "--format",
                "{{.Names}}\t{{.Status}}"), false));
        Path logs = root.resolve("e2e-tests/target/compose-logs");
        Files.createDirectories(logs);
        for (String name : run(List.of("podman", "ps", "-a", "--filter", label, "--format", "{{.Names}}"), false)
                .strip().split("\n")) {
            if (name.isBlank()) {
                continue;
            }
            ProcessBuilder builder = new ProcessBuilder("podman", "logs", name).redirectErrorStream(true)
                    .redirectOutput(logs.resolve(name + ".log").toFile());
            builder.start().waitFor();
            List<String> lines = Files.readAllLines(logs.resolve(name + ".log"), StandardCharsets.UTF_8);
            report.append("--- ").append(name).append('\n');
            lines.subList(Math.max(0, lines.size() - 8), lines.size())
                    .forEach(line -> report.append(line, 0, Math.min(line.length(), 400)).append('\n'));
        }
        return report.toString();
    }

    private static String iotEdgeScript(String url, String commonName, String credentials,
            Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("deploy/est-client-iot-edge.sh").toString(),
                url, trustAnchor.toString(), credentials, commonName);
        builder.environment().putAll(environment);
        Path stderr = Files.createTempFile(work, "script", ".err");
        Process process = builder.redirectError(stderr.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "est-client-iot-edge.sh failed: " + Files.readString(stderr));
        return stdout.strip();
    }

    /** Where a named volume of the project lies on this machine (the test runs as root, like the engine). */
    private static Path volume(String name) throws Exception {
        return Path.of(run(List.of("podman", "volume", "inspect", project + "_" + name, "--format",
                "{{.Mountpoint}}"), true).strip());
    }

    private static String run(List<String> command, boolean mustSucceed) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().putAll(composeEnvironment);
        Path errors = Files.createTempFile(work, "command", ".err");
        Process process = builder.redirectError(errors.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (mustSucceed && exit != 0) {
            fail(String.join(" ", command) + " exited " + exit + ": " + Files.readString(errors) + output);
        }
        return output;
    }

    /** A command's output and error output together, whatever its exit status: what a failure message needs. */
    private static String runWithErrors(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(composeEnvironment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return output + "(exit " + process.waitFor() + ")";
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static X509Certificate read(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(pem));
    }
}
