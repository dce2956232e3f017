package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The stack the test command started (broker, PostgreSQL, token), and the user's script that runs the services. */
final class LocalStack {
    private LocalStack() {
    }

    static Path state() {
        String stateDir = System.getenv("ESTUARY_STATE");
        if (stateDir == null) {
            fail("run the end-to-end tests through the test command: deploy/estuary test");
        }
        return Path.of(stateDir);
    }

    static Path root() {
        return Path.of(System.getenv().getOrDefault("ESTUARY_ROOT", Path.of("..").toAbsolutePath().toString()));
    }

    /** Runs {@code deploy/estuary <command>} as a user would, showing its output. */
    static void script(String command) throws Exception {
        script(command, Map.of());
    }

    /** Runs {@code deploy/estuary <command>} with more environment (settings of the services it starts). */
    static void script(String command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root().resolve("deploy/estuary").toString(), command).inheritIO();
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertEquals(0, process.waitFor(), "deploy/estuary " + command);
    }

    /** Runs {@code deploy/estuary <args>} and returns its standard output; its log lines go to ours. */
    static String scriptOutput(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root().resolve("deploy/estuary").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "deploy/estuary " + args[0]);
        return output;
    }

    /** A bearer token for the operator APIs, from the operator command {@code deploy/estuary token <role>}. */
    static String bearerToken(String role) throws Exception {
        return scriptOutput("token", role).strip();
    }

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set; run through deploy/estuary test");
        }
        return value;
    }

    /**
     * Polls an operator API with a bearer token until it answers 200 with what {@code ready} accepts (the audit trail
     * chains an event once it has settled, ESTUARY_AUDIT_SETTLE).
     */
    static JsonNode awaitJson(String url, String token, Duration within, Predicate<JsonNode> ready) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(within);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode node = json.readTree(response.body());
                if (ready.test(node)) {
                    return node;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("not there within " + within + ": " + url + " last answer: " + last);
    }
}
