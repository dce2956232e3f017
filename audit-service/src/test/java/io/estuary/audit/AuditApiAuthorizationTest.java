package io.estuary.audit;

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
 * Who may read the audit trail: the auditor role. The roles come from Keycloak tokens in the running service (tested
 * end to end by OperatorApiAuthorizationIT); here the identity is set directly.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class AuditApiAuthorizationTest {
    private static final String NOBODY = "?device=nobody-" + System.nanoTime();
    private static final List<String> ENDPOINTS = List.of("/audit/records" + NOBODY, "/audit/export.jsonl" + NOBODY,
            "/audit/export.csv" + NOBODY, "/audit/verify", "/issuances" + NOBODY);

    @Test
    void withoutATokenEveryEndpointIs401WithABearerChallenge() {
        for (String endpoint : ENDPOINTS) {
            given().get(endpoint).then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer"));
        }
        // Health and metrics stay open to the orchestrator.
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    @TestSecurity(user = "test-operator", roles = OperatorRoles.OPERATOR)
    void theOperatorRoleIsRefused() {
        for (String endpoint : ENDPOINTS) {
            given().get(endpoint).then().statusCode(403);
        }
    }

    @Test
    @TestSecurity(user = "test-auditor", roles = OperatorRoles.AUDITOR)
    void theAuditorRoleReadsEveryEndpoint() {
        for (String endpoint : ENDPOINTS) {
            given().get(endpoint).then().statusCode(200);
        }
    }
}
