package io.estuary.frontend;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.admin.keycloak.DeviceProvisioning;
import io.estuary.contracts.AuthenticationFailed;
import io.estuary.contracts.Topics;
import io.estuary.frontend.auth.LabelAuthorization;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;
import io.estuary.pki.wire.Base64Body;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * HTTP Basic against the real Keycloak the test command started (realm imported from deploy/keycloak), credentials
 * made by the provisioning command's code. A body that is not base64 is answered 400 only after authentication and the
 * label check passed, so it shows a credential was accepted without needing a signer; the end-to-end tests enroll for
 * real through Keycloak.
 */
@QuarkusTest
@TestProfile(KeycloakAuthenticationTest.RealKeycloak.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class KeycloakAuthenticationTest {
    private static final String NOT_BASE64 = "%%% not base64 %%%";
    private static DeviceProvisioning provisioning;

    public static class RealKeycloak implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("estuary.auth.keycloak.url", keycloakUrl(),
                    "estuary.auth.rate-limit.per-identity", "3",
                    "estuary.auth.rate-limit.per-address", "100");
        }
    }

    static String keycloakUrl() {
        String url = System.getenv("ESTUARY_KEYCLOAK_URL");
        if (url == null) {
            throw new IllegalStateException("run through deploy/estuary test, which starts Keycloak");
        }
        return url;
    }

    @BeforeAll
    static void connect() throws Exception {
        provisioning = new DeviceProvisioning(URI.create(keycloakUrl()), "estuary", "admin",
                Files.readString(Path.of(System.getenv("ESTUARY_KEYCLOAK_ADMIN_PASSWORD_FILE"))).strip(),
                new LabelAuthorization("est-label:")::roleFor);
    }

    @Test
    void aProvisionedCredentialEnrollsOnItsLabelsAndGets403Elsewhere() {
        DeviceProvisioning.Credential device = provisioning.provision(unique("kc-edge"), List.of("edge-ca"));
        post(device.username(), device.password(), "/.well-known/est/edge-ca/simpleenroll", NOT_BASE64)
                .statusCode(400).body(containsString("not valid base64"));
        // Twice: the second answer comes from the credential cache and must be the same.
        post(device.username(), device.password(), "/.well-known/est/edge-ca/simpleenroll", NOT_BASE64)
                .statusCode(400);
        post(device.username(), device.password(), "/.well-known/est/simpleenroll", csr())
                .statusCode(403).body(containsString("may not enroll on label 'default'"))
                .body(containsString("est-label:default"));
        post(device.username(), device.password(), "/.well-known/est/tls-server/serverkeygen", csr())
                .statusCode(403);
    }

    /**
     * Keycloak access tokens open the operator API only, by role: a device's own token (password grant of the
     * est-frontend client) neither enrolls nor reads the CA information; the operator account's token reads it.
     */
    @Test
    void bearerTokensNeverEnrollAndOpenTheCaInformationByRole() throws Exception {
        DeviceProvisioning.Credential device = provisioning.provision(unique("kc-bearer"), List.of("default"));
        String deviceToken = accessToken("est-frontend", device.username(), device.password());
        given().header("Authorization", "Bearer " + deviceToken).contentType("application/pkcs10")
                .body(NOT_BASE64.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).when()
                .post("/.well-known/est/simpleenroll").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Basic realm=\"estuary\""));
        given().header("Authorization", "Bearer " + deviceToken).get("/api/cas").then().statusCode(403);

        String operatorPassword = Files.readString(Path.of(System.getenv("ESTUARY_STATE"), "secrets/operator-password"))
                .strip();
        given().header("Authorization", "Bearer " + accessToken("estuary-cli", "estuary-operator", operatorPassword))
                .get("/api/cas").then().statusCode(200);
    }

    @Test
    void wrongPasswordIs401WithTheBasicChallengeAndAnEventWithoutTheSecret() {
        DeviceProvisioning.Credential device = provisioning.provision(unique("kc-wrong"), List.of("default"));
        try (KafkaTestClient.Tail failures = new KafkaTestClient().tail(Topics.AUTH_FAILURES)) {
            String guess = "guess-" + System.nanoTime();
            post(device.username(), guess, "/.well-known/est/simpleenroll", csr()).statusCode(401)
                    .header("WWW-Authenticate", equalTo("Basic realm=\"estuary\""));
            AuthenticationFailed event = failures.await(AuthenticationFailed.class,
                    e -> device.username().equals(e.identity()), Duration.ofSeconds(20));
            assertEquals("basic", event.method());
            assertEquals("", event.label());
            assertEquals("Invalid user credentials", event.reason());
            assertFalse(event.toString().contains(guess));
            assertFalse(event.toString().contains(device.password()));
        }
        // An unknown user is refused the same way.
        post(unique("kc-nobody"), "x", "/.well-known/est/simpleenroll", csr()).statusCode(401);
    }

    @Test
    void tooManyFailuresFor429EvenWithTheRightPassword() {
        DeviceProvisioning.Credential device = provisioning.provision(unique("kc-limit"), List.of("default"));
        for (int i = 0; i < 3; i++) {
            post(device.username(), "wrong-" + i, "/.well-known/est/simpleenroll", csr()).statusCode(401);
        }
        String retryAfter = post(device.username(), device.password(), "/.well-known/est/simpleenroll", NOT_BASE64)
                .statusCode(429).header("Retry-After", notNullValue())
                // Refused ahead of JAX-RS (AuthFailureFilter), as the exception mapper answers it.
                .header("Content-Type", "text/plain").body(equalTo("too many failed authentications; retry later\n"))
                .extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        org.junit.jupiter.api.Assertions.assertTrue(seconds > 0 && seconds <= 300, retryAfter);
        // Another identity from the same address is not held back by this one's failures.
        DeviceProvisioning.Credential other = provisioning.provision(unique("kc-other"), List.of("default"));
        post(other.username(), other.password(), "/.well-known/est/simpleenroll", NOT_BASE64).statusCode(400);
    }

    /**
     * Sixty wrong passwords at once for one provisioned user: each 401 is a password Keycloak checked, and no more of
     * them get through than the identity's limit (3 here); the rest are 429 without a check.
     */
    @Test
    void concurrentGuessesAreCheckedNoMoreOftenThanTheLimit() throws Exception {
        DeviceProvisioning.Credential device = provisioning.provision(unique("kc-burst"), List.of("default"));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        URI enroll = URI.create("http://localhost:" + io.restassured.RestAssured.port + "/.well-known/est/simpleenroll");
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> answers =
                new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String basic = java.util.Base64.getEncoder().encodeToString((device.username() + ":guess-" + i)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            answers.add(http.sendAsync(java.net.http.HttpRequest.newBuilder(enroll)
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/pkcs10")
                    .timeout(Duration.ofSeconds(90)).POST(java.net.http.HttpRequest.BodyPublishers.ofString("AAAA"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Long> statuses = new java.util.TreeMap<>();
        for (var answer : answers) {
            statuses.merge(answer.get(90, java.util.concurrent.TimeUnit.SECONDS).statusCode(), 1L, Long::sum);
        }
        assertEquals(Map.of(401, 3L, 429, 57L), statuses);
    }

    @Test
    void withoutCredentialsTheClientIsChallengedAndNotCounted() {
        given().contentType("application/pkcs10").body(csr().getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .when().post("/.well-known/est/simpleenroll").then()
                .statusCode(401).header("WWW-Authenticate", equalTo("Basic realm=\"estuary\""));
    }

    private static io.restassured.response.ValidatableResponse post(String user, String password, String path,
            String body) {
        // Bytes: RestAssured needs no encoder for the EST media type then.
        return given().auth().preemptive().basic(user, password).contentType("application/pkcs10")
                .body(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).when().post(path).then();
    }

    /** An access token from the realm's password grant. */
    private static String accessToken(String clientId, String username, String password) {
        return given().formParam("grant_type", "password").formParam("client_id", clientId)
                .formParam("username", username).formParam("password", password)
                .post(keycloakUrl() + "/realms/estuary/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }

    private static String csr() {
        return Base64Body.encode(TestCsrs.csr("kc-test", TestCsrs.ecP256()));
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }
}
