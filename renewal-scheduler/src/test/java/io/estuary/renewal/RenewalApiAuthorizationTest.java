package io.estuary.renewal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.estuary.operatorauth.OperatorRoles;
import io.estuary.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/**
 * Who may read the fleet's renewal state: the operator role. The roles come from Keycloak tokens in the running
 * service (tested end to end by OperatorApiAuthorizationIT); here the identity is set directly.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class RenewalApiAuthorizationTest {
    private static final List<String> ENDPOINTS = List.of("/renewals/summary", "/renewals/due?within=P1D",
            "/renewals/devices?state=due", "/renewals/devices/nobody", "/renewals/devices/nobody/history");

    @Test
    void withoutATokenEveryEndpointIs401WithABearerChallenge() {
        for (String endpoint : ENDPOINTS) {
            given().get(endpoint).then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer"));
        }
        // Health and metrics stay open to the orchestrator.
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    @TestSecurity(user = "test-auditor", roles = OperatorRoles.AUDITOR)
    void theAuditorRoleIsRefused() {
        for (String endpoint : ENDPOINTS) {
            given().get(endpoint).then().statusCode(403);
        }
    }

    @Test
    @TestSecurity(user = "test-operator", roles = OperatorRoles.OPERATOR)
    void theOperatorRoleReadsEveryEndpoint() {
        given().get("/renewals/summary").then().statusCode(200);
        given().get("/renewals/due?within=P1D").then().statusCode(200);
        given().get("/renewals/devices?state=due").then().statusCode(200);
        // An unknown device: past authorization, answered by the resource.
        given().get("/renewals/devices/nobody").then().statusCode(404);
    }
}
