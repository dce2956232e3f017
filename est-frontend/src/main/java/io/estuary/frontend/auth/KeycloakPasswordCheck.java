package io.estuary.frontend.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.frontend.domain.CredentialCheckUnavailableException;

/**
 * Checks a user name and password with Keycloak's resource-owner password grant on the realm's {@code est-frontend}
 * client, the way Keycloak offers for a trusted first-party service holding a user's password. The realm roles come
 * from the access token, which is read straight from the token endpoint's answer (never from a client), so its
 * signature need not be checked here; the token itself is neither kept nor logged.
 */
public final class KeycloakPasswordCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Keycloak said about a credential. */
    public sealed interface Outcome {
    }

    /** The password is right; the user's realm roles. */
    public record Valid(Set<String> roles) implements Outcome {
    }

    /** Keycloak refused the credential, with its reason (never containing the password). */
    public record Invalid(String reason) implements Outcome {
    }

    private final URI tokenEndpoint;
    private final String clientId;
    private final Optional<String> clientSecret;
    private final Duration timeout;
    private final HttpClient http;

    public KeycloakPasswordCheck(URI baseUrl, String realm, String clientId, Optional<String> clientSecret,
            Duration timeout) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.tokenEndpoint = URI.create(base + "/realms/" + realm + "/protocol/openid-connect/token");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Outcome check(String username, char[] password) {
        StringBuilder form = new StringBuilder("grant_type=password&scope=openid")
                .append("&client_id=").append(encode(clientId))
                .append("&username=").append(encode(username))
                .append("&password=").append(encode(new String(password)));
        clientSecret.ifPresent(secret -> form.append("&client_secret=").append(encode(secret)));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CredentialCheckUnavailableException("Keycloak cannot be reached at " + tokenEndpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialCheckUnavailableException("interrupted while asking Keycloak", e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() == 200) {
            return new Valid(realmRoles(body.path("access_token").asText()));
        }
        // invalid_grant: wrong password, unknown, disabled or incomplete user. Anything else is our problem.
        if ((response.statusCode() == 400 || response.statusCode() == 401)
                && "invalid_grant".equals(body.path("error").asText())) {
            return new Invalid(body.path("error_description").asText("invalid credentials"));
        }
        throw new CredentialCheckUnavailableException("Keycloak answered " + response.statusCode() + " "
                + body.path("error").asText("") + " to the password grant of client '" + clientId + "'", null);
    }

    static Set<String> realmRoles(String accessToken) {
        String[] parts = accessToken.split("\\.");
        if (parts.length < 2) {
            throw new CredentialCheckUnavailableException("Keycloak returned an access token that is not a JWT", null);
        }
        JsonNode claims = parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        Set<String> roles = new HashSet<>();
        claims.path("realm_access").path("roles").forEach(role -> roles.add(role.asText()));
        return roles;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json == null || json.isBlank() ? "{}" : json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
