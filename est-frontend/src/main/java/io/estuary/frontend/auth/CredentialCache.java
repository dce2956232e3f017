package io.estuary.frontend.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers successful credential checks for a short time, so a fleet enrolling at once does not send every request
 * to Keycloak. Entries are keyed by SHA-256 over a random per-process salt, the user name and the password: neither the
 * password nor an unsalted hash of it is ever held. Only successes are stored; a failed check is never put here.
 */
public final class CredentialCache {
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final byte[] salt = new byte[32];
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Object>> checks = new ConcurrentHashMap<>();

    private record Entry(Set<String> roles, Instant expires) {
    }

    public CredentialCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
        new SecureRandom().nextBytes(salt);
    }

    /** The roles of a credential checked successfully within the last {@code ttl}; empty otherwise. */
    public Optional<Set<String>> find(String username, char[] password) {
        String key = key(username, password);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.roles());
    }

    /** Stores a successful check with the roles it granted. */
    public void rememberSuccess(String username, char[] password, Set<String> roles) {
        if (ttl.isZero() || ttl.isNegative() || maxEntries < 1) {
            return;
        }
        Instant now = clock.instant();
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= maxEntries) {
                // Still full of live entries: start over rather than grow; the cost is a few extra Keycloak calls.
                entries.clear();
            }
        }
        entries.put(key(username, password), new Entry(Set.copyOf(roles), now.plus(ttl)));
    }

    /**
     * Joins the check of the same credential that is already running, or starts one with {@code check}: a fleet
     * (or a client retrying) that sends one credential many times at once costs one Keycloak call, not one per
     * request. The outcome, failure included, goes to everyone who joined; the next call after it starts afresh.
     */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> shareCheck(String username, char[] password, Supplier<CompletionStage<T>> check) {
        String key = key(username, password);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = checks.putIfAbsent(key, mine);
        if (running != null) {
            return running.thenApply(outcome -> (T) outcome);
        }
        CompletionStage<T> started;
        try {
            started = check.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((outcome, failure) -> {
            checks.remove(key, mine);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(outcome);
            }
        });
        return mine.thenApply(outcome -> (T) outcome);
    }

    int size() {
        return entries.size();
    }

    private String key(String username, char[] password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            byte[] name = username.getBytes(StandardCharsets.UTF_8);
            // Length-prefixed, so ("ab","c") and ("a","bc") never collide.
            sha256.update(java.nio.ByteBuffer.allocate(4).putInt(name.length).array());
            sha256.update(name);
            // Only the encoded bytes up to the limit: the backing array may be longer (zero-padded), and hashing
            // the padding would make "a" and "a\0" the same key.
            java.nio.ByteBuffer secret = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
            try {
                sha256.update(secret.duplicate());
            } finally {
                java.util.Arrays.fill(secret.array(), (byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
