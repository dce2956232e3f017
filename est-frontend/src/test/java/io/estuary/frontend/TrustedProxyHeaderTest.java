package io.estuary.frontend;

import static io.estuary.frontend.ProxiedRequests.DEVICE_IDENTITY;
import static io.estuary.frontend.ProxiedRequests.ENROLL;
import static io.estuary.frontend.ProxiedRequests.EST_IDENTITY;
import static io.estuary.frontend.ProxiedRequests.HEADER;
import static io.estuary.frontend.ProxiedRequests.REENROLL;
import static io.estuary.frontend.ProxiedRequests.csrBody;
import static io.estuary.frontend.ProxiedRequests.issued;
import static io.estuary.frontend.ProxiedRequests.playSigner;
import static io.estuary.frontend.ProxiedRequests.withHeaderCertificate;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Behind a TLS-terminating proxy: the test's loopback address is a trusted proxy, so the certificate in its
 * {@code ssl-client-cert} header is the client's, judged as a TLS client certificate would be.
 */
@QuarkusTest
@TestProfile(TrustedProxyHeaderTest.LoopbackIsTrusted.class)
@QuarkusTestResource(TestCaChainResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class TrustedProxyHeaderTest {
    public static class LoopbackIsTrusted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("estuary.listener.trusted-proxies", "127.0.0.0/8, ::1");
        }
    }

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
        ProxiedRequests.configureRestAssured();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @BeforeEach
    void awaitTheTestCaChain() throws InterruptedException {
        ProxiedRequests.awaitTheTestCaChain();
    }

    @Test
    void theHeaderCertificateIsRenewedBySimpleReenroll() throws Exception {
        X509Certificate current = issued("fe-proxied-renewal", DEVICE_IDENTITY);
        CompletableFuture<CsrSubmitted> seen = playSigner(kafka, "fe-proxied-renewal");
        String body = withHeaderCertificate(current).body(csrBody("fe-proxied-renewal")).when().post(REENROLL).then()
                .statusCode(200).extract().asString();
        assertEquals(1, CertsOnly.decode(Base64Body.decode(body)).size());
        CsrSubmitted event = seen.get(1, TimeUnit.SECONDS);
        assertEquals("simplereenroll", event.operation());
        assertEquals(current.getSubjectX500Principal().getName(), event.requester());
    }

    /** simpleenroll needs an authenticated client: the header's EST identity is one, without a password. */
    @Test
    void theHeaderCertificateAuthenticatesSimpleEnroll() throws Exception {
        X509Certificate estIdentity = issued("fe-proxied-identity", EST_IDENTITY);
        CompletableFuture<CsrSubmitted> seen = playSigner(kafka, "fe-proxied-device");
        withHeaderCertificate(estIdentity).body(csrBody("fe-proxied-device")).when().post(ENROLL).then()
                .statusCode(200);
        assertEquals("simpleenroll", seen.get(1, TimeUnit.SECONDS).operation());
    }

    /** The header's certificate is judged like a TLS one: a device certificate may renew itself, not enroll. */
    @Test
    void theHeaderCertificateIsJudgedByTheCertificatePolicy() {
        X509Certificate device = issued("fe-proxied-not-identity", DEVICE_IDENTITY);
        withHeaderCertificate(device).body(csrBody("fe-proxied-other")).when().post(ENROLL).then().statusCode(403)
                .body(containsString("not as an EST identity"));
    }

    @Test
    void aMalformedHeaderIs400WithTheReason() {
        given().header(HEADER, "not-a-certificate").contentType("application/pkcs10")
                .body(csrBody("fe-proxied-malformed")).when().post(REENROLL).then().statusCode(400)
                .body(containsString("ssl-client-cert header holds no PEM certificate"));
        given().header(HEADER, "%E0%A4%A").contentType("application/pkcs10").body(csrBody("fe-proxied-malformed"))
                .when().post(ENROLL).then().statusCode(400).body(containsString("not URL-encoded PEM"));
    }
}
