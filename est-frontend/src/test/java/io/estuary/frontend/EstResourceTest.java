package io.estuary.frontend;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.frontend.warmup.RehearsalMark;
import io.estuary.pki.ca.IssuedCertificate;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** RFC 7030 §4.1 and §4.2 on the wire, with the real broker; this test plays the signer. */
@QuarkusTest
@QuarkusTestResource(TestCaChainResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class EstResourceTest {
    private static final String ENROLL = "/.well-known/est/simpleenroll";
    private static final String PASSWORD = "test-password";
    @io.quarkus.test.common.http.TestHTTPResource
    java.net.URL testUrl;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
        // EST bodies are base64 text; tell RestAssured to send application/pkcs10 as such.
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/pkcs10",
                        io.restassured.http.ContentType.TEXT));
    }

    /** The chain arrives through Kafka after start; wait until this test's CA is the one served. */
    @org.junit.jupiter.api.BeforeEach
    void awaitTheTestCaChain() throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (java.time.Instant.now().isBefore(deadline)) {
            Response response = given().when().get("/.well-known/est/cacerts").then().extract().response();
            if (response.statusCode() == 200 && CertsOnly.decode(Base64Body.decode(response.asString()))
                    .equals(List.of(TestCaChainResource.ca.certificate()))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the frontend never served the test CA's chain");
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void cacertsServesTheChainAsBase64CertsOnly() {
        Response response = given().when().get("/.well-known/est/cacerts").then().statusCode(200)
                .header("Content-Type", equalTo("application/pkcs7-mime; smime-type=certs-only"))
                .header("Content-Length", org.hamcrest.Matchers.notNullValue()).extract().response();
        String body = response.asString();
        assertTrue(body.endsWith("\n"));
        for (String line : body.split("\n")) {
            assertTrue(line.length() <= 64, line);
        }
        assertEquals(List.of(TestCaChainResource.ca.certificate()), CertsOnly.decode(Base64Body.decode(body)));
    }

    @Test
    void enrollmentWithoutCredentialsIsChallenged() {
        given().contentType("application/pkcs10").body(csrBody("nobody")).when().post(ENROLL).then()
                .statusCode(401).header("WWW-Authenticate", equalTo("Basic realm=\"estuary\""));
    }

    @Test
    void wrongPasswordIsRefused() {
        given().auth().preemptive().basic("estuary-demo", "wrong").contentType("application/pkcs10")
                .body(csrBody("x")).when().post(ENROLL).then().statusCode(401);
    }

    @Test
    void wrongMediaTypeIs415() {
        authed().contentType("text/plain").body(csrBody("x")).when().post(ENROLL).then().statusCode(415);
    }

    @Test
    void malformedBase64Is400WithAReason() {
        authed().contentType("application/pkcs10").body("%%% not base64 %%%").when().post(ENROLL).then()
                .statusCode(400).contentType(startsWith("text/plain")).body(containsString("not valid base64"));
    }

    @Test
    void base64OfSomethingElseIs400() {
        authed().contentType("application/pkcs10").body(Base64Body.encode("hello, EST".getBytes())).when()
                .post(ENROLL).then().statusCode(400).body(containsString("not a DER PKCS#10"));
    }

    @Test
    void csrSignedByAnotherKeyIs400() {
        authed().contentType("application/pkcs10").body(Base64Body.encode(TestCsrs.csrWithForeignSignature("m")))
                .when().post(ENROLL).then().statusCode(400).body(containsString("signature does not verify"));
    }

    @Test
    void oversizedBodyIs413AndTheServiceStaysUp() throws Exception {
        // The limit is enforced on the declared length, before the body is read; a raw request shows it without
        // racing the client's writes against the server closing the connection.
        try (java.net.Socket socket = new java.net.Socket("localhost", testUrl.getPort())) {
            socket.getOutputStream().write(("POST " + ENROLL + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                            ("estuary-demo:" + PASSWORD).getBytes()) + "\r\n"
                    + "Content-Type: application/pkcs10\r\nContent-Length: " + (70 * 1024) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()))
                    .readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine);
        }
        given().when().get("/.well-known/est/cacerts").then().statusCode(200);
    }

    @Test
    void issuedCertificateIsReturnedAsCertsOnly() throws Exception {
        KeyPair device = TestCsrs.ecP256();
        CompletableFuture<CsrSubmitted> seen = playSigner("fe-device-1", EstResourceTest::issue);
        // Sent as IoT Edge does: 64-column base64 with a Content-Transfer-Encoding header and no Accept.
        String body = authed().contentType("application/pkcs10").header("Content-Transfer-Encoding", "base64")
                .body(Base64Body.encode(TestCsrs.csr("fe-device-1", device))).when().post(ENROLL).then()
                .statusCode(200).header("Content-Type", equalTo("application/pkcs7-mime; smime-type=certs-only"))
                .extract().asString();
        var certificates = CertsOnly.decode(Base64Body.decode(body));
        assertEquals(1, certificates.size());
        assertEquals(device.getPublic(), certificates.get(0).getPublicKey());
        certificates.get(0).verify(TestCaChainResource.ca.certificate().getPublicKey());
        CsrSubmitted event = seen.get(1, TimeUnit.SECONDS);
        assertEquals("estuary-demo", event.requester());
        assertEquals("simpleenroll", event.operation());
    }

    @Test
    void signerRejectionIs400WithItsReason() {
        playSigner("fe-device-2", request -> IssuanceResult.rejected(request, "key too weak", Instant.now()));
        authed().contentType("application/pkcs10").body(csrBody("fe-device-2")).when().post(ENROLL).then()
                .statusCode(400).body(equalTo("request rejected: key too weak\n"));
    }

    /** A fault in the signer is not the client's: 500, and the same request sent again is signed (not cached). */
    @Test
    void aSignerFailureIs500AndTheRetryIsSigned() throws Exception {
        String body = csrBody("fe-device-fault");
        CompletableFuture<CsrSubmitted> first = playSigner("fe-device-fault", request -> IssuanceResult.failed(
                request, "the signer failed on this request (internal error)", Instant.now()));
        authed().contentType("application/pkcs10").body(body).when().post(ENROLL).then().statusCode(500)
                .body(equalTo("the signer failed on this request (internal error)\n"));
        first.get(1, TimeUnit.SECONDS);
        CompletableFuture<CsrSubmitted> second = playSigner("fe-device-fault", EstResourceTest::issue);
        authed().contentType("application/pkcs10").body(body).when().post(ENROLL).then().statusCode(200);
        assertEquals("simpleenroll", second.get(1, TimeUnit.SECONDS).operation(), "the retry reached the signer");
    }

    /**
     * A failure the same request meets again (deterministic) is remembered like a decision: the retry gets the same
     * 500 from this frontend's recent results. No signer answers it a second time here, so a retry sent to the signer
     * would get 202.
     */
    @Test
    void aDeterministicSignerFailureIsGivenAgainToTheRetry() throws Exception {
        String body = csrBody("fe-device-lasting-fault");
        String reason = "the signer failed on this request (internal error); nothing was signed, and sending the same "
                + "request again fails the same way";
        CompletableFuture<CsrSubmitted> first = playSigner("fe-device-lasting-fault",
                request -> IssuanceResult.failedDeterministically(request, reason, Instant.now()));
        authed().contentType("application/pkcs10").body(body).when().post(ENROLL).then().statusCode(500)
                .body(equalTo(reason + "\n"));
        first.get(1, TimeUnit.SECONDS);
        authed().contentType("application/pkcs10").body(body).when().post(ENROLL).then().statusCode(500)
                .body(equalTo(reason + "\n"));
    }

    @Test
    void aSlowSignerGets202AndEveryRetryOfTheSameRequestOneCertificate() throws Exception {
        String body = csrBody("fe-device-slow");
        KafkaTestClient.Tail published = kafka.tail(Topics.CSR_REQUESTS);
        authed().contentType("application/pkcs10").body(body).when().post(ENROLL).then()
                .statusCode(202).header("Retry-After", equalTo("5")).body(containsString("retry"));
        authed().contentType("application/pkcs10").body(body).when().post(ENROLL).then().statusCode(202);
        // Now the signer answers the request it was given.
        CsrSubmitted request = published.await(CsrSubmitted.class, r -> deviceOf(r).equals("fe-device-slow"),
                Duration.ofSeconds(10));
        kafka.send(Topics.ISSUANCE_RESULTS, request.requester(), issue(request));
        String first = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Response answer = authed().contentType("application/pkcs10").body(body).when().post(ENROLL).then()
                    .statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(202))).extract().response();
            if (answer.statusCode() == 200) {
                if (first == null) {
                    first = answer.asString();
                }
                assertEquals(first, answer.asString(), "a retry gets the certificate already issued");
            }
            Thread.sleep(300);
        }
        assertTrue(first != null, "the retry got the certificate");
        assertTrue(first.startsWith("MII"), "DER, definite length");
        // Four posts of the same CSR, one request to the signer.
        assertThrows(AssertionError.class, () -> published.await(CsrSubmitted.class,
                r -> deviceOf(r).equals("fe-device-slow"), Duration.ofSeconds(2)));
        published.close();
    }

    @Test
    void labelsSelectProfilesAndUnknownLabelsAre404() {
        given().when().get("/.well-known/est/no-such-label/cacerts").then().statusCode(404)
                .body(containsString("unknown EST label 'no-such-label'"));
        given().when().get("/.well-known/est/edge-ca/cacerts").then().statusCode(200);
        authed().contentType("application/pkcs10").body(csrBody("x")).when()
                .post("/.well-known/est/no-such-label/simpleenroll").then().statusCode(404);
        // An Edge CA request is refused on the default (device identity) label ...
        authed().contentType("application/pkcs10")
                .body(Base64Body.encode(TestCsrs.edgeCaCsr("aziot-edge CA d1", TestCsrs.rsa(2048)))).when()
                .post(ENROLL).then().statusCode(400).body(containsString("CA:TRUE"));
        // ... and RSA-1024 everywhere.
        authed().contentType("application/pkcs10").body(Base64Body.encode(TestCsrs.csr("w", TestCsrs.rsa(1024))))
                .when().post(ENROLL).then().statusCode(400).body(containsString("RSA-1024 is too weak"));
        // A subject longer than the stores can index.
        authed().contentType("application/pkcs10").body(Base64Body.encode(TestCsrs.csr("w".repeat(2000),
                TestCsrs.ecP256()))).when().post(ENROLL).then().statusCode(400)
                .body(containsString("at most 1024 are issued"));
    }

    @Test
    void csrattrsAndFullCmc() {
        String body = given().when().get("/.well-known/est/csrattrs").then().statusCode(200)
                .header("Content-Type", equalTo("application/csrattrs")).extract().asString();
        assertTrue(org.bouncycastle.asn1.est.CsrAttrs.getInstance(Base64Body.decode(body)).size() > 0);
        given().when().get("/.well-known/est/est-identity/csrattrs").then().statusCode(204);
        given().when().post("/.well-known/est/fullcmc").then().statusCode(501).body(containsString("simpleenroll"));
    }

    @Test
    void acceptHeadersThatDoNotNameTheTypeAreTolerated() {
        given().header("Accept", "text/plain").when().get("/.well-known/est/cacerts").then().statusCode(200)
                .header("Content-Type", equalTo("application/pkcs7-mime; smime-type=certs-only"));
    }

    /**
     * Each answer moves its own counter by one, tagged by label, operation, outcome and refusal reason; an unknown
     * label is counted as {@code unknown}, never under the name the client sent; a failed password moves the basic
     * authentication failure counter.
     */
    @Test
    void everyAnswerMovesItsEnrollmentCounterByOne() throws Exception {
        String issued = "estuary_enrollments_total{label=\"default\",operation=\"simpleenroll\",outcome=\"issued\","
                + "reason=\"none\"}";
        String rejected = "estuary_enrollments_total{label=\"default\",operation=\"simpleenroll\","
                + "outcome=\"rejected\",reason=\"signer_rejected\"}";
        String invalid = "estuary_enrollments_total{label=\"default\",operation=\"simpleenroll\","
                + "outcome=\"rejected\",reason=\"csr_policy\"}";
        String unknown = "estuary_enrollments_total{label=\"unknown\",operation=\"cacerts\","
                + "outcome=\"unknown_label\",reason=\"none\"}";
        String badPassword = "estuary_auth_failures_total{method=\"basic\"}";
        Map<String, Double> before = scrape(issued, rejected, invalid, unknown, badPassword);

        playSigner("fe-metrics-1", EstResourceTest::issue);
        authed().contentType("application/pkcs10").body(csrBody("fe-metrics-1")).when().post(ENROLL).then()
                .statusCode(200);
        playSigner("fe-metrics-2", request -> IssuanceResult.rejected(request, "no", Instant.now()));
        authed().contentType("application/pkcs10").body(csrBody("fe-metrics-2")).when().post(ENROLL).then()
                .statusCode(400);
        authed().contentType("application/pkcs10").body(Base64Body.encode(TestCsrs.csrWithForeignSignature("fe-metrics-4")))
                .when().post(ENROLL).then().statusCode(400);
        given().when().get("/.well-known/est/a-label-nobody-configured/cacerts").then().statusCode(404);
        given().auth().preemptive().basic("fe-metrics-nobody", "not-the-password").contentType("application/pkcs10")
                .body(csrBody("fe-metrics-3")).when().post(ENROLL).then().statusCode(401);

        // A meter moves when its answer has been written, which may be a moment after the client read it.
        Map<String, Double> after = scrape(issued, rejected, invalid, unknown, badPassword);
        for (Instant deadline = Instant.now().plusSeconds(10); Instant.now().isBefore(deadline)
                && before.keySet().stream().anyMatch(series -> after.get(series) < before.get(series) + 1); ) {
            Thread.sleep(50);
            after.putAll(scrape(issued, rejected, invalid, unknown, badPassword));
        }
        String counters = prometheus.scrape().lines().filter(line -> line.startsWith("estuary_enrollments_total"))
                .reduce("", (a, b) -> a + b + "\n");
        for (String series : before.keySet()) {
            assertEquals(before.get(series) + 1, after.get(series), series + " in\n" + counters);
        }
        String exposition = prometheus.scrape().replace(",}", "}");
        assertTrue(exposition.contains("estuary_enrollment_duration_seconds_bucket{operation=\"simpleenroll\",le="),
                "latency histogram");
        assertTrue(exposition.contains("estuary_signer_round_trip_seconds_count{result=\"answered\"}"),
                "signer round trip");
        assertTrue(exposition.contains("estuary_signer_waiting_requests "), "waiting requests");
        assertFalse(exposition.contains("a-label-nobody-configured"), "a client's label name is never a tag");
    }

    /** The warm-up's requests to the listener carry a mark of this process: only a request with that mark is not counted. */
    @Test
    void theWarmUpsOwnRequestsAreLeftOutOfTheMeters() throws Exception {
        String served = "estuary_enrollments_total{label=\"default\",operation=\"cacerts\",outcome=\"served\","
                + "reason=\"none\"}";
        double before = scrape(served).get(served);
        given().header(RehearsalMark.HEADER, RehearsalMark.value()).when().get("/.well-known/est/cacerts").then()
                .statusCode(200);
        given().header(RehearsalMark.HEADER, "0".repeat(RehearsalMark.value().length())).when()
                .get("/.well-known/est/cacerts").then().statusCode(200);
        // A meter moves when its answer has been written, which may be a moment after the client read it.
        for (Instant deadline = Instant.now().plusSeconds(10); Instant.now().isBefore(deadline)
                && scrape(served).get(served) < before + 1; ) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
        assertEquals(before + 1, scrape(served).get(served),
                "the request with another value is a client's and counted; the warm-up's is not");
    }

    /** What /q/metrics on the management port exports. */
    @jakarta.inject.Inject
    io.micrometer.prometheus.PrometheusMeterRegistry prometheus;

    /** The current value of each series (0 for one not exported yet). */
    private Map<String, Double> scrape(String... series) {
        String exposition = prometheus.scrape();
        Map<String, Double> values = new java.util.LinkedHashMap<>();
        for (String name : series) {
            double value = 0;
            for (String line : exposition.split("\n")) {
                line = line.replace(",}", "}"); // the exposition format allows a trailing comma
                if (line.startsWith(name + " ")) {
                    value = Double.parseDouble(line.substring(name.length() + 1).strip());
                }
            }
            values.put(name, value);
        }
        return values;
    }

    private static String deviceOf(CsrSubmitted r) {
        return IssuedCertificate.deviceIdOf(CertificationRequest.fromDer(Base64Body.decode(r.csr())).subject());
    }

    private static IssuanceResult issue(CsrSubmitted request) {
        IssuedCertificate issued = TestCaChainResource.ca.issue(
                CertificationRequest.fromDer(Base64Body.decode(request.csr())),
                CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now());
        return new IssuanceResult(request.requestId(), request.requester(), request.label(),
                IssuanceResult.Outcome.ISSUED, null, issued.deviceId(), issued.subject(), issued.serialNumberHex(),
                issued.issuer(), issued.certificate().getNotBefore().toInstant(),
                issued.certificate().getNotAfter().toInstant(), Base64Body.compact(issued.encoded()), Instant.now());
    }

    private static io.restassured.specification.RequestSpecification authed() {
        return given().auth().preemptive().basic("estuary-demo", PASSWORD);
    }

    private static String csrBody(String commonName) {
        return Base64Body.encode(TestCsrs.csr(commonName, TestCsrs.ecP256()));
    }

    /** Answers the next CSR event for the device, as the signer would; returns the event it saw. */
    private static CompletableFuture<CsrSubmitted> playSigner(String deviceId,
            Function<CsrSubmitted, IssuanceResult> answer) {
        KafkaTestClient.Tail tail = kafka.tail(Topics.CSR_REQUESTS);
        return CompletableFuture.supplyAsync(() -> {
            try (tail) {
                CsrSubmitted request = tail.await(CsrSubmitted.class, r -> deviceOf(r).equals(deviceId),
                        Duration.ofSeconds(20));
                kafka.send(Topics.ISSUANCE_RESULTS, request.requester(), answer.apply(request));
                return request;
            }
        });
    }
}
