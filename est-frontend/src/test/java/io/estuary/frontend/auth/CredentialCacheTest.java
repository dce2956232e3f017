package io.estuary.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CredentialCacheTest {
    private final MutableClock clock = new MutableClock();
    private final CredentialCache cache = new CredentialCache(Duration.ofMinutes(2), 100, clock);

    @Test
    void aSuccessIsReusedForItsLifetimeOnly() {
        cache.rememberSuccess("device-1", "right".toCharArray(), Set.of("est-label:*"));
        assertEquals(Optional.of(Set.of("est-label:*")), cache.find("device-1", "right".toCharArray()));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(Optional.empty(), cache.find("device-1", "right".toCharArray()));
    }

    @Test
    void anotherPasswordOrNameIsNotFound() {
        cache.rememberSuccess("device-1", "right".toCharArray(), Set.of());
        assertTrue(cache.find("device-1", "wrong".toCharArray()).isEmpty());
        assertTrue(cache.find("device-2", "right".toCharArray()).isEmpty());
        // Name and password are length-prefixed in the key: shifting characters between them is another key.
        assertTrue(cache.find("device-1r", "ight".toCharArray()).isEmpty());
        assertTrue(cache.find("device-1", "right\0".toCharArray()).isEmpty(), "padding is not part of the key");
    }

    @Test
    void itNeverGrowsPastItsSize() {
        CredentialCache small = new CredentialCache(Duration.ofMinutes(2), 3, clock);
        for (int i = 0; i < 10; i++) {
            small.rememberSuccess("device-" + i, "pw".toCharArray(), Set.of());
        }
        assertTrue(small.size() <= 3, "size " + small.size());
        assertTrue(small.find("device-9", "pw".toCharArray()).isPresent(), "the newest is kept");
    }

    @Test
    void aZeroLifetimeCachesNothing() {
        CredentialCache off = new CredentialCache(Duration.ZERO, 100, clock);
        off.rememberSuccess("device-1", "right".toCharArray(), Set.of());
        assertTrue(off.find("device-1", "right".toCharArray()).isEmpty());
    }

    @Test
    void concurrentChecksOfOneCredentialShareOneCall() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CompletableFuture<String> keycloak = new java.util.concurrent.CompletableFuture<>();
        java.util.function.Supplier<java.util.concurrent.CompletionStage<String>> check = () -> {
            calls.incrementAndGet();
            return keycloak;
        };
        var first = cache.shareCheck("device-1", "pw".toCharArray(), check).toCompletableFuture();
        var second = cache.shareCheck("device-1", "pw".toCharArray(), check).toCompletableFuture();
        var other = cache.shareCheck("device-1", "other".toCharArray(), () -> {
            calls.incrementAndGet();
            return java.util.concurrent.CompletableFuture.completedFuture("other");
        }).toCompletableFuture();
        assertEquals(2, calls.get(), "one call for the shared credential, one for the other password");
        assertEquals("other", other.get());
        keycloak.complete("valid");
        assertEquals("valid", first.get());
        assertEquals("valid", second.get());
        // Finished checks are not reused: the next request asks again (only the success cache remembers).
        cache.shareCheck("device-1", "pw".toCharArray(), check);
        assertEquals(3, calls.get());
    }

    @Test
    void aFailedCheckFailsEveryoneWhoJoinedItAndIsNotKept() {
        java.util.concurrent.CompletableFuture<String> keycloak = new java.util.concurrent.CompletableFuture<>();
        var first = cache.shareCheck("device-1", "pw".toCharArray(), () -> keycloak).toCompletableFuture();
        var second = cache.shareCheck("device-1", "pw".toCharArray(), () -> keycloak).toCompletableFuture();
        keycloak.completeExceptionally(new IllegalStateException("keycloak down"));
        assertTrue(first.isCompletedExceptionally());
        assertTrue(second.isCompletedExceptionally());
        var retried = cache.shareCheck("device-1", "pw".toCharArray(),
                () -> java.util.concurrent.CompletableFuture.completedFuture("valid")).toCompletableFuture();
        assertEquals("valid", retried.join());
        var thrown = cache.shareCheck("device-2", "pw".toCharArray(), () -> {
            throw new IllegalStateException("cannot start");
        }).toCompletableFuture();
        assertTrue(thrown.isCompletedExceptionally());
        assertEquals("valid", cache.shareCheck("device-2", "pw".toCharArray(),
                () -> java.util.concurrent.CompletableFuture.completedFuture("valid")).toCompletableFuture().join());
    }
}
