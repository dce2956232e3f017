package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.estuary.testkit.TestTls;

/**
 * Issue 4's last condition, on the packaged services and the Keycloak the test command started: the operator APIs
 * reject missing, expired and wrong-role tokens. For each API — the audit trail (role auditor), the renewal fleet data
 * (role operator) and the CA information on the frontend (either role) — no token is 401 with a Bearer challenge, a
 * token with the right role 200, with another role 403, an expired one 401, garbage and forged ones 401. The tokens
 * come from the operator command {@code deploy/estuary token} and from Keycloak's password grant.
 */
@ExtendWith(SharedServices.class)
class OperatorApiAuthorizationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDITOR = "auditor";
    private static final String OPERATOR = "operator";
    private static final int SHORT_LIFESPAN_SECONDS = 10;

    /** An operator API: some of its endpoints, and the roles that may read them. */
    record Api(String name, List<String> urls, Set<String> roles) {
    }

    private static Path root;
    private static HttpClient http;
    private static String keycloak;
    private static List<Api> apis;
    private static final Map<String, String> tokenByRole = new LinkedHashMap<>();

    @BeforeAll
    static void startServices() throws Exception {
        Path state = LocalStack.state();
        root = LocalStack.root();
        LocalStack.script("services-up");
        http = HttpClient.newBuilder().sslContext(TestTls.trusting(state.resolve("pki/tls-trust-anchor.pem")))
                .connectTimeout(Duration.ofSeconds(30)).build();
        keycloak = LocalStack.env("ESTUARY_KEYCLOAK_URL");
        String audit = "http://127.0.0.1:" + LocalStack.env("ESTUARY_AUDIT_PORT");
        String renewal = "http://127.0.0.1:" + LocalStack.env("ESTUARY_RENEWAL_PORT");
        String frontend = "https://localhost:" + LocalStack.env("ESTUARY_EST_PORT");
        apis = List.of(
                new Api("audit", List.of(audit + "/audit/records?limit=1", audit + "/audit/export.csv?device=nobody",
                        audit + "/audit/export.jsonl?device=nobody", audit + "/audit/verify",
                        audit + "/issuances?device=nobody"), Set.of(AUDITOR)),
                new Api("renewal", List.of(renewal + "/renewals/summary", renewal + "/renewals/due?within=P1D",
                        renewal + "/renewals/devices?state=due"), Set.of(OPERATOR)),
                new Api("CA information", List.of(frontend + "/api/cas"), Set.of(AUDITOR, OPERATOR)));
        tokenByRole.put(AUDITOR, LocalStack.bearerToken(AUDITOR));
        tokenByRole.put(OPERATOR, LocalStack.bearerToken(OPERATOR));
    }

    @Test
    void withoutATokenEveryApiIs401WithABearerChallenge() throws Exception {
        for (Api api : apis) {
            for (String url : api.urls()) {
                assertUnauthorized(get(url, null), url + " without a token");
            }
        }
    }

    @Test
    void eachApiAnswersItsRolesAnd403sTheOthers() throws Exception {
        // A device's enrollment credential is a Keycloak user too (role est-label:*): its token opens nothing here.
        String deviceToken = passwordGrant("est-frontend", "estuary-demo",
                Files.readString(LocalStack.state().resolve("secrets/demo-password")).strip());
        for (Api api : apis) {
            for (String url : api.urls()) {
                for (Map.Entry<String, String> role : tokenByRole.entrySet()) {
                    HttpResponse<String> response = get(url, role.getValue());
                    assertEquals(api.roles().contains(role.getKey()) ? 200 : 403, response.statusCode(),
                            url + " with role " + role.getKey() + ": " + response.body());
                }
                assertEquals(403, get(url, deviceToken).statusCode(), url + " with a device's token");
            }
        }
    }

    @Test
    void garbageAndForgedTokensAre401() throws Exception {
        // Each forgery claims both roles, so any of them accepted would show up as 200.
        String genuine = tokenByRole.get(OPERATOR);
        String[] parts = genuine.split("\\.");
        ObjectNode header = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        ObjectNode claims = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        ArrayNode roles = ((ObjectNode) claims.get("realm_access")).putArray("roles");
        roles.add(AUDITOR).add(OPERATOR);

        // Keycloak's signature over other claims: the roles were edited after signing.
        String edited = parts[0] + "." + base64Url(claims) + "." + parts[2];
        // Signed by a key of our own under the realm key's id.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair foreignKey = generator.generateKeyPair();
        header.put("alg", "RS256");
        String signingInput = base64Url(header) + "." + base64Url(claims);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(foreignKey.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String selfSigned = signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        // Not signed at all.
        ObjectNode none = JSON.createObjectNode().put("alg", "none").put("typ", "JWT");
        String unsigned = base64Url(none) + "." + base64Url(claims) + ".";

        Map<String, String> forgeries = Map.of("garbage", "not-a-token", "three garbage parts", "e30.e30.e30",
                "edited roles", edited, "foreign signature", selfSigned, "alg none", unsigned);
        for (Api api : apis) {
            for (String url : api.urls()) {
                for (Map.Entry<String, String> forgery : forgeries.entrySet()) {
                    assertUnauthorized(get(url, forgery.getValue()), url + " with token: " + forgery.getKey());
                }
            }
        }
    }

    /**
     * Tokens from a client whose access tokens live {@value #SHORT_LIFESPAN_SECONDS} s (made for this test through
     * Keycloak's admin API): 200 while valid, 401 once expired — so the 401 comes from the expiry alone, with no
     * lifespan grace hiding it.
     */
    @Test
    void anExpiredTokenIs401ThoughTheSameTokenWasAcceptedWhileValid() throws Exception {
        try (ShortLivedClient client = ShortLivedClient.create()) {
            Map<String, String> shortLived = new LinkedHashMap<>();
            for (String role : tokenByRole.keySet()) {
                shortLived.put(role, passwordGrant(client.clientId(), "estuary-" + role,
                        Files.readString(LocalStack.state().resolve("secrets/" + role + "-password")).strip()));
            }
            long firstExpiry = Long.MAX_VALUE;
            long lastExpiry = 0;
            for (String token : shortLived.values()) {
                JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
                assertEquals(SHORT_LIFESPAN_SECONDS, claims.get("exp").asLong() - claims.get("iat").asLong());
                firstExpiry = Math.min(firstExpiry, claims.get("exp").asLong());
                lastExpiry = Math.max(lastExpiry, claims.get("exp").asLong());
            }
            Map<Api, String> tokenByApi = apis.stream().collect(Collectors.toMap(api -> api,
                    api -> shortLived.get(api.roles().iterator().next())));
            for (Api api : apis) {
                String url = api.urls().get(0);
                HttpResponse<String> valid = get(url, tokenByApi.get(api));
                assertEquals(200, valid.statusCode(), url + " with a fresh short-lived token: " + valid.body());
            }
            assertTrue(Instant.now().getEpochSecond() < firstExpiry,
                    "the machine was too slow to use the tokens within their lifespan; the 200s above prove nothing");

            // The expiry is checked to the second: 2 s past it leaves no room for clock rounding.
            Thread.sleep(Math.max(0, (lastExpiry + 2) * 1000 - System.currentTimeMillis()));
            for (Api api : apis) {
                for (String url : api.urls()) {
                    assertUnauthorized(get(url, tokenByApi.get(api)), url + " with an expired token");
                }
            }
        }
    }

    /** A public client of the realm with direct access grants and a short token lifespan; deleted on close. */
    private record ShortLivedClient(String clientId, URI location, String adminToken) implements AutoCloseable {
        static ShortLivedClient create() throws Exception {
            String adminToken = JSON.readTree(post(keycloak + "/realms/master/protocol/openid-connect/token",
                    "application/x-www-form-urlencoded", form(Map.of("grant_type", "password", "client_id",
                            "admin-cli", "username", "admin", "password", Files.readString(Path.of(
                                    LocalStack.env("ESTUARY_KEYCLOAK_ADMIN_PASSWORD_FILE"))).strip())), null).body())
                    .get("access_token").asText();
            String clientId = "e2e-short-lived-" + System.currentTimeMillis();
            ObjectNode client = JSON.createObjectNode().put("clientId", clientId).put("publicClient", true)
                    .put("directAccessGrantsEnabled", true).put("standardFlowEnabled", false);
            client.putObject("attributes").put("access.token.lifespan", Integer.toString(SHORT_LIFESPAN_SECONDS));
            HttpResponse<String> created = post(keycloak + "/admin/realms/estuary/clients", "application/json",
                    JSON.writeValueAsString(client), adminToken);
            assertEquals(201, created.statusCode(), created.body());
            return new ShortLivedClient(clientId, URI.create(created.headers().firstValue("Location").orElseThrow()),
                    adminToken);
        }

        @Override
        public void close() throws Exception {
            http.send(HttpRequest.newBuilder(location).header("Authorization", "Bearer " + adminToken).DELETE()
                    .build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    private static void assertUnauthorized(HttpResponse<String> response, String what) {
        assertEquals(401, response.statusCode(), what + ": " + response.body());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer"), what + ": challenge '" + challenge + "'");
    }

    private static String passwordGrant(String clientId, String username, String password) throws Exception {
        HttpResponse<String> answer = post(keycloak + "/realms/estuary/protocol/openid-connect/token",
                "application/x-www-form-urlencoded", form(Map.of("grant_type", "password", "client_id", clientId,
                        "username", username, "password", password)), null);
        assertEquals(200, answer.statusCode(), "password grant for " + username + ": " + answer.body());
        return JSON.readTree(answer.body()).get("access_token").asText();
    }

    private static HttpResponse<String> get(String url, String bearerToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String contentType, String body, String bearerToken)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(field -> field.getKey() + "="
                + java.net.URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String base64Url(JsonNode json) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
    }
}
