package io.estuary.frontend;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Keycloak unreachable: the credential was not judged, so the client gets 503 to retry, not 401. The frontend starts
 * all the same (it reaches Keycloak for bearer tokens only when the first one arrives).
 */
@QuarkusTest
@TestProfile(KeycloakUnavailableTest.NoKeycloak.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class KeycloakUnavailableTest {

    public static class NoKeycloak implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
            return Map.of("estuary.auth.keycloak.url", "http://127.0.0.1:9",
                    "quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/estuary");
        }
    }

    @Test
    void anUnreachableKeycloakIs503WithRetryAfter() {
        given().auth().preemptive().basic("device", "secret").contentType("application/pkcs10").body("AAAA".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .when().post("/.well-known/est/simpleenroll").then().statusCode(503)
                .header("Retry-After", equalTo("30"));
    }

    @Test
    void aBearerTokenThatCannotBeCheckedIs503AndNoTokenStill401() {
        given().header("Authorization", "Bearer some.unverifiable.token").when().get("/api/cas").then()
                .statusCode(503).header("Retry-After", equalTo("30"));
        given().when().get("/api/cas").then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer"));
    }
}
