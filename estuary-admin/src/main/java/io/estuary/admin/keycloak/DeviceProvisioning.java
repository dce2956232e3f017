package io.estuary.admin.keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Creates device enrollment credentials in the Keycloak realm through its admin REST API: a user named after the
 * device with a generated password and one {@code est-label:<label>} realm role per label it may enroll on. The
 * password is returned once and stored nowhere else. {@code labelRole} names the realm role of a label (the frontend's
 * label authorization reads the same roles). Run by {@code deploy/estuary provision-device}.
 */
public final class DeviceProvisioning {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A new credential; the password is shown to the operator once. */
    public record Credential(String username, String password, List<String> labels) {
        @Override
        public String toString() {
            return "Credential[" + username + ", labels=" + labels + "]";
        }
    }

    private final String base;
    private final String realm;
    private final String adminUser;
    private final String adminPassword;
    private final Function<String, String> labelRole;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public DeviceProvisioning(URI keycloak, String realm, String adminUser, String adminPassword,
            Function<String, String> labelRole) {
        this.base = keycloak.toString().replaceAll("/+$", "");
        this.realm = realm;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.labelRole = labelRole;
    }

    /** Creates the device's user with a fresh password and the roles of the labels; fails if the name is taken. */
    public Credential provision(String device, List<String> labels) {
        if (device == null || !device.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("device name must be 1-128 of A-Z a-z 0-9 . _ - : " + device);
        }
        String token = adminToken();
        String password = newPassword();
        Map<String, Object> user = Map.of("username", device, "enabled", true,
                // Keycloak's default user profile wants these, or the password grant says "Account is not fully set up".
                "email", device.toLowerCase() + "@devices.estuary.invalid", "emailVerified", true,
                "firstName", "Device", "lastName", device,
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        HttpResponse<String> created = send(token, "POST", "/users", user);
        if (created.statusCode() == 409) {
            throw new IllegalStateException("a credential named '" + device + "' already exists");
        }
        expect(created, 201, "create user " + device);
        String location = created.headers().firstValue("Location").orElseThrow();
        String userId = location.substring(location.lastIndexOf('/') + 1);
        List<JsonNode> roles = new ArrayList<>();
        for (String label : labels) {
            roles.add(role(token, labelRole.apply(label)));
        }
        expect(send(token, "POST", "/users/" + userId + "/role-mappings/realm", roles), 204, "assign roles");
        return new Credential(device, password, List.copyOf(labels));
    }

    /** The realm role, created first if the realm has none of that name (a label added after the realm import). */
    private JsonNode role(String token, String name) {
        String path = "/roles/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        HttpResponse<String> found = send(token, "GET", path, null);
        if (found.statusCode() == 404) {
            HttpResponse<String> made = send(token, "POST", "/roles", Map.of("name", name));
            if (made.statusCode() != 409) {
                expect(made, 201, "create role " + name);
            }
            found = send(token, "GET", path, null);
        }
        expect(found, 200, "read role " + name);
        return readTree(found.body());
    }

    private String adminToken() {
        HttpResponse<String> response = call(PasswordGrant.request(base, "master", "admin-cli", adminUser,
                adminPassword));
        expect(response, 200, "log in as Keycloak administrator '" + adminUser + "'");
        return readTree(response.body()).path("access_token").asText();
    }

    private HttpResponse<String> send(String token, String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            return call(HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + realm + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, publisher));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> call(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak cannot be reached at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("Keycloak refused to " + what + ": HTTP " + response.statusCode());
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak answered something that is not JSON", e);
        }
    }

    private static String newPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
