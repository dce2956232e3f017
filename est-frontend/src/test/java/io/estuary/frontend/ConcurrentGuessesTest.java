package io.estuary.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Sixty wrong passwords sent at once, against a Keycloak that counts the calls and holds each until all sixty requests
 * were either answered or are waiting on it: no more guesses reach Keycloak than the limit, however many arrive
 * together; the rest get 429 without being checked.
 */
@QuarkusTest
@TestProfile(ConcurrentGuessesTest.Limits.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = CountingKeycloak.class, restrictToAnnotatedClass = true)
class ConcurrentGuessesTest {
    private static final int GUESSES = 60;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("estuary.auth.rate-limit.per-identity", "5",
                    "estuary.auth.rate-limit.per-address", "20");
        }
    }

    @ConfigProperty(name = "estuary.auth.keycloak.url")
    String keycloak;
    @TestHTTPResource("/.well-known/est/simpleenroll")
    URI enroll;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    /** One identity, then sixty more from the same address: 5 calls for the first, 15 more (20 in all) for the rest. */
    @Test
    void concurrentWrongPasswordsReachKeycloakNoMoreOftenThanTheLimits() throws Exception {
        List<HttpResponse<String>> one = guessAtOnce(i -> "guessed-device");
        assertEquals(5, keycloakCalls(), "calls for one identity");
        assertEquals(5, count(one, 401));
        assertEquals(GUESSES - 5, count(one, 429));
        one.stream().filter(r -> r.statusCode() == 429).forEach(r -> assertTrue(
                Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) > 0, r.toString()));

        // The address has 5 failures now: 15 more checks at most, whichever identities they claim.
        List<HttpResponse<String>> many = guessAtOnce(i -> "sprayed-device-" + i);
        assertEquals(15, keycloakCalls(), "calls for many identities from one address");
        assertEquals(15, count(many, 401));
        assertEquals(GUESSES - 15, count(many, 429));
    }

    private List<HttpResponse<String>> guessAtOnce(java.util.function.IntFunction<String> user) throws Exception {
        control("/reset");
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < GUESSES; i++) {
            String basic = Base64.getEncoder().encodeToString((user.apply(i) + ":wrong-" + i)
                    .getBytes(StandardCharsets.UTF_8));
            answers.add(http.sendAsync(HttpRequest.newBuilder(enroll).header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/pkcs10").timeout(PATIENCE)
                    .POST(HttpRequest.BodyPublishers.ofString("AAAA")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        // Every request is answered or held by Keycloak before any held one is let go; more calls held than the
        // limit allows settles it too.
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            long answered = answers.stream().filter(CompletableFuture::isDone).count();
            int held = keycloakCalls();
            if (answered + held >= GUESSES || held > 20) {
                break;
            }
            Thread.sleep(50);
        }
        control("/open");
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            responses.add(answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
        return responses;
    }

    private int keycloakCalls() throws Exception {
        return Integer.parseInt(http.send(HttpRequest.newBuilder(URI.create(keycloak + "/calls")).build(),
                HttpResponse.BodyHandlers.ofString()).body().strip());
    }

    private void control(String path) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(keycloak + path)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(List<HttpResponse<String>> responses, int status) {
        return responses.stream().filter(r -> r.statusCode() == status).count();
    }
}
