package io.estuary.admin.keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A bearer token for the operator APIs: the resource-owner password grant of the public client {@code estuary-cli} for
 * the user {@code estuary-<role>}. Prints the access token alone, for {@code curl -H "Authorization: Bearer $(...)"}.
 */
@Command(name = "token", description = "Print a bearer token for the operator APIs.")
public final class TokenCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The stack's operator accounts. */
    enum Role {
        operator, auditor
    }

    @Parameters(index = "0", arity = "0..1", defaultValue = "operator", paramLabel = "operator|auditor")
    Role role;

    @Option(names = "--password-file", required = true, description = "the file holding the user's password")
    Path passwordFile;

    @Option(names = "--keycloak-url", defaultValue = "${env:ESTUARY_KEYCLOAK_URL:-http://127.0.0.1:8180}")
    URI keycloak;

    @Option(names = "--realm", defaultValue = "${env:ESTUARY_KEYCLOAK_REALM:-estuary}")
    String realm;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        String password;
        try {
            password = Files.readString(passwordFile).strip();
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + passwordFile
                    + ": start the stack with deploy/estuary up");
        }
        String user = "estuary-" + role;
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(PasswordGrant.request(
                    keycloak.toString().replaceAll("/+$", ""), realm, "estuary-cli", user, password).timeout(TIMEOUT)
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            spec.commandLine().getErr().println("Keycloak at " + keycloak + " does not answer");
            return 1;
        }
        JsonNode answer = json(response.body());
        String token = answer.path("access_token").asText("");
        if (response.statusCode() != 200 || token.isEmpty()) {
            // A realm imported before the operator accounts existed lacks them; --import-realm never overwrites it.
            spec.commandLine().getErr().println("Keycloak refused " + user + ": "
                    + answer.path("error_description").asText("HTTP " + response.statusCode())
                    + " (a realm imported by an older version lacks the operator accounts: see docs/operations.md,"
                    + " Operator APIs)");
            return 1;
        }
        spec.commandLine().getOut().println(token);
        return 0;
    }

    private static JsonNode json(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            return new ObjectMapper().createObjectNode();
        }
    }
}
