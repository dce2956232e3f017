package io.estuary.frontend.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per key (an identity or a source address) in a sliding window. Once a key has
 * {@code maxFailures} failures inside the window it is refused until the oldest of them leaves the window; the wait is
 * what a client is told in {@code Retry-After}. Keys with no recent failure are dropped, so memory follows the number
 * of recently failing keys, not the number of keys ever seen.
 */
public final class FailureRateLimiter {
    /** Past this many tracked keys, quiet ones are dropped before a new failure is recorded. */
    static final int EVICTION_THRESHOLD = 10_000;
    /** Longer keys (a claimed user name is the client's choice, up to the header limit) are held as a digest. */
    static final int MAX_KEY_LENGTH = 256;
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public FailureRateLimiter(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** Records one failure for the key. */
    public void recordFailure(String key) {
        key = heldKey(key);
        Instant now = clock.instant();
        if (failures.size() > EVICTION_THRESHOLD) {
            evictExpired();
        }
        failures.compute(key, (k, times) -> {
            Deque<Instant> kept = times == null ? new ArrayDeque<>() : times;
            prune(kept, now);
            kept.addLast(now);
            // Only the newest maxFailures matter for the decision.
            while (kept.size() > maxFailures) {
                kept.removeFirst();
            }
            return kept;
        });
    }

    /** How long the key must wait before its next attempt is looked at; empty while it is under the limit. */
    public Optional<Duration> retryAfter(String key) {
        key = heldKey(key);
        Instant now = clock.instant();
        Duration[] wait = { null };
        failures.computeIfPresent(key, (k, times) -> {
            prune(times, now);
            if (times.size() >= maxFailures) {
                wait[0] = Duration.between(now, times.peekFirst().plus(window));
            }
            return times.isEmpty() ? null : times;
        });
        return Optional.ofNullable(wait[0]);
    }

    /** Drops keys whose failures all left the window. */
    public void evictExpired() {
        Instant now = clock.instant();
        failures.keySet().forEach(key -> failures.computeIfPresent(key, (k, times) -> {
            prune(times, now);
            return times.isEmpty() ? null : times;
        }));
    }

    /**
     * The key as held: itself up to {@link #MAX_KEY_LENGTH} characters, else its start and the SHA-256 of all of it,
     * so that failures with kilobyte-long user names cost the memory of short ones and still count per name.
     */
    static String heldKey(String key) {
        if (key.length() <= MAX_KEY_LENGTH) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return key.substring(0, 64) + "...sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    int trackedKeys() {
        return failures.size();
    }

    int longestTrackedKey() {
        return failures.keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant oldestKept = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldestKept)) {
            times.removeFirst();
        }
    }

    /** Whole seconds to announce in {@code Retry-After}, rounded up and at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
