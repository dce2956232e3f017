package io.estuary.frontend;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.estuary.operatorauth.OperatorRoles;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;

/**
 * The CA information API: the chains the frontend holds, for the auditor and operator roles, over bearer tokens only.
 * The identity is set directly here; OperatorApiAuthorizationIT checks real Keycloak tokens end to end.
 */
@QuarkusTest
@QuarkusTestResource(TestCaChainResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class CaInformationResourceTest {
    private static final String CAS = "/api/cas";

    /** The chain arrives through Kafka after start (after older test runs' chains on the compacted topic). */
    @BeforeEach
    void awaitTheTestCaChain() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Response response = given().get("/.well-known/est/cacerts");
            if (response.statusCode() == 200 && CertsOnly.decode(Base64Body.decode(response.asString()))
                    .equals(List.of(TestCaChainResource.ca.certificate()))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the frontend never served the test CA's chain");
    }

    @Test
    @TestSecurity(user = "test-operator", roles = OperatorRoles.OPERATOR, authMechanism = "Bearer")
    void theOperatorSeesEachCaWithTheProfilesAndLabelsUsingIt() {
        X509Certificate ca = TestCaChainResource.ca.certificate();
        given().get(CAS).then().statusCode(200).contentType("application/json")
                .body("find { it.alias == 'estuary-ca' }.subject", equalTo(ca.getSubjectX500Principal().getName()))
                .body("find { it.alias == 'estuary-ca' }.issuer", equalTo(ca.getIssuerX500Principal().getName()))
                .body("find { it.alias == 'estuary-ca' }.serialNumber", equalTo(ca.getSerialNumber().toString(16)))
                .body("find { it.alias == 'estuary-ca' }.notAfter", equalTo(ca.getNotAfter().toInstant().toString()))
                .body("find { it.alias == 'estuary-ca' }.profiles", hasItems("device-identity", "edge-ca"))
                .body("find { it.alias == 'estuary-ca' }.labels", hasItems("default", "edge-ca", "tls-server"))
                .body("find { it.alias == 'estuary-ca' }.chain.size()", equalTo(1));
    }

    @Test
    @TestSecurity(user = "test-auditor", roles = OperatorRoles.AUDITOR, authMechanism = "Bearer")
    void theAuditorReadsItToo() {
        given().get(CAS).then().statusCode(200);
    }

    @Test
    @TestSecurity(user = "a-device", roles = "est-label:*", authMechanism = "Bearer")
    void anEnrollmentCredentialIsRefused() {
        given().get(CAS).then().statusCode(403);
    }

    @Test
    void withoutATokenItIs401WithABearerChallengeAndBasicCredentialsDoNotCount() {
        given().get(CAS).then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer"));
        // The test profile's built-in enrollment credential: valid on the EST paths, not a credential here.
        given().auth().preemptive().basic("estuary-demo", "test-password").get(CAS).then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer"));
    }
}
