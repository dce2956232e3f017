package io.estuary.admin.keycloak;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** Keycloak's resource-owner password grant: one user's access token from a realm's token endpoint. */
final class PasswordGrant {

    private PasswordGrant() {
    }

    /** @param keycloak Keycloak's base URL, without a trailing slash */
    static HttpRequest.Builder request(String keycloak, String realm, String clientId, String user, String password) {
        String form = "grant_type=password&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(keycloak + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }
}
