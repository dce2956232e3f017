package io.estuary.admin.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.estuary.admin.cli.AdminCommandLine;

/** The token command against a stand-in for Keycloak's token endpoint: the password grant of estuary-cli. */
class TokenCommandTest {
    private static final String PASSWORD = "s3cret+/=&password";
    private static HttpServer keycloak;

    @TempDir
    static Path secrets;

    @BeforeAll
    static void startKeycloak() throws IOException {
        keycloak = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keycloak.createContext("/realms/estuary/protocol/openid-connect/token", TokenCommandTest::grant);
        keycloak.start();
    }

    @AfterAll
    static void stopKeycloak() {
        keycloak.stop(0);
    }

    /** Grants estuary-auditor with the right password; refuses anything else the way Keycloak does. */
    private static void grant(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            String[] parts = pair.split("=", 2);
            form.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        boolean granted = "POST".equals(exchange.getRequestMethod()) && "password".equals(form.get("grant_type"))
                && "estuary-cli".equals(form.get("client_id")) && "estuary-auditor".equals(form.get("username"))
                && PASSWORD.equals(form.get("password"));
        byte[] body = (granted ? "{\"access_token\":\"eyJ.auditor.token\",\"token_type\":\"Bearer\"}"
                : "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(granted ? 200 : 401, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static AdminCommandLine token(String role, String password) throws IOException {
        Path file = secrets.resolve(role + "-password");
        Files.writeString(file, password + "\n");
        return AdminCommandLine.run("token", role, "--password-file", file.toString(), "--keycloak-url",
                "http://127.0.0.1:" + keycloak.getAddress().getPort() + "/");
    }

    @Test
    void printsTheAccessTokenAlone() throws IOException {
        AdminCommandLine result = token("auditor", PASSWORD);
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("eyJ.auditor.token\n", result.out());
        assertEquals("", result.err());
    }

    @Test
    void aRefusalSaysWhyAndNeverShowsThePassword() throws IOException {
        AdminCommandLine result = token("operator", PASSWORD);
        assertEquals(1, result.exitCode());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("Keycloak refused estuary-operator: Invalid user credentials"),
                result.err());
        assertFalse(result.err().contains(PASSWORD));
    }

    @Test
    void aKeycloakThatDoesNotAnswerIsNamed() throws IOException {
        HttpServer gone = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = gone.getAddress().getPort();
        gone.stop(0);
        Path file = secrets.resolve("gone-password");
        Files.writeString(file, PASSWORD);
        AdminCommandLine result = AdminCommandLine.run("token", "--password-file", file.toString(), "--keycloak-url",
                "http://127.0.0.1:" + port);
        assertEquals(1, result.exitCode());
        assertEquals("Keycloak at http://127.0.0.1:" + port + " does not answer\n", result.err());
    }
}
