package io.estuary.frontend;

import static io.estuary.frontend.ProxiedRequests.DEVICE_IDENTITY;
import static io.estuary.frontend.ProxiedRequests.ENROLL;
import static io.estuary.frontend.ProxiedRequests.EST_IDENTITY;
import static io.estuary.frontend.ProxiedRequests.HEADER;
import static io.estuary.frontend.ProxiedRequests.REENROLL;
import static io.estuary.frontend.ProxiedRequests.csrBody;
import static io.estuary.frontend.ProxiedRequests.issued;
import static io.estuary.frontend.ProxiedRequests.withHeaderCertificate;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The trusted-proxy mode is on, but the test's address is not one of the proxies: the certificate header it sends is
 * ignored, and the request is one without a certificate.
 */
@QuarkusTest
@TestProfile(UntrustedProxyHeaderTest.OtherProxyIsTrusted.class)
@QuarkusTestResource(TestCaChainResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class UntrustedProxyHeaderTest {
    public static class OtherProxyIsTrusted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Documentation ranges (RFC 5737, RFC 3849): never the test's loopback.
            return Map.of("estuary.listener.trusted-proxies", "192.0.2.0/24,2001:db8::/32");
        }
    }

    @BeforeAll
    static void configure() {
        ProxiedRequests.configureRestAssured();
    }

    @BeforeEach
    void awaitTheTestCaChain() throws InterruptedException {
        ProxiedRequests.awaitTheTestCaChain();
    }

    @Test
    void reenrollWithAnUntrustedHeaderHasNoCertificateToRenew() {
        withHeaderCertificate(issued("fe-untrusted-renewal", DEVICE_IDENTITY)).body(csrBody("fe-untrusted-renewal"))
                .when().post(REENROLL).then().statusCode(403)
                .body(containsString("simplereenroll needs the TLS client certificate being renewed"));
    }

    @Test
    void enrollWithAnUntrustedHeaderIsChallengedForCredentials() {
        withHeaderCertificate(issued("fe-untrusted-identity", EST_IDENTITY)).body(csrBody("fe-untrusted-device"))
                .when().post(ENROLL).then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Basic realm=\"estuary\""));
    }

    /** Not read at all: what an untrusted peer puts in the header cannot even make it a 400. */
    @Test
    void aMalformedUntrustedHeaderIsIgnoredToo() {
        given().header(HEADER, "not-a-certificate").contentType("application/pkcs10")
                .body(csrBody("fe-untrusted-malformed")).when().post(REENROLL).then().statusCode(403)
                .body(containsString("needs the TLS client certificate"));
    }
}
