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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts failed authentications per key (an identity or a source address) in a sliding window. Once a key has
 * {@code maxFailures} failures inside the window it is refused until the oldest of them leaves the window; the wait is
 * what a client is told in {@code Retry-After}. Keys with no recent failure and no check running are dropped, so memory
 * follows the number of recently failing keys, not the number of keys ever seen.
 *
 * <p>A check that costs a guess (a password sent to Keycloak) first {@linkplain #reserve reserves} a slot: a check
 * running counts as a failure until it is settled, so however many checks of one key arrive at once, at most
 * {@code maxFailures} of them run in a window. Reserving, and settling as a failure or not, are each one atomic step.
 */
public final class FailureRateLimiter {
    /** Past this many tracked keys, quiet ones are dropped before a new failure is recorded. */
    static final int EVICTION_THRESHOLD = 10_000;
    /** Longer keys (a claimed user name is the client's choice, up to the header limit) are held as a digest. */
    static final int MAX_KEY_LENGTH = 256;
    /**
     * How long a key refused only because of checks still running is told to wait: a check ends within the Keycloak
     * timeout, usually in milliseconds, and then either frees its slot or is a failure that sets the real wait.
     */
    static final Duration RUNNING_CHECK_WAIT = Duration.ofSeconds(1);
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Key> failures = new ConcurrentHashMap<>();

    /** A key's failures inside the window (the newest {@code maxFailures} at most) and its checks running. */
    private static final class Key {
        final Deque<Instant> times = new ArrayDeque<>();
        int running;

        boolean idle() {
            return times.isEmpty() && running == 0;
        }
    }

    /** A reserved check; settled once, later calls do nothing. */
    public final class Slot {
        private final String key;
        private final AtomicBoolean settled = new AtomicBoolean();

        private Slot(String key) {
            this.key = key;
        }

        /** The check failed: its slot becomes a failure, in the same step. */
        public void failed() {
            settle(true);
        }

        /** The check succeeded or judged nothing (Keycloak unreachable): its slot is freed. */
        public void release() {
            settle(false);
        }

        private void settle(boolean failed) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            Instant now = clock.instant();
            failures.compute(key, (k, state) -> {
                Key kept = state == null ? new Key() : state;
                kept.running = Math.max(0, kept.running - 1);
                prune(kept.times, now);
                if (failed) {
                    add(kept.times, now);
                }
                return kept.idle() ? null : kept;
            });
        }
    }

    /** The outcome of {@link #reserve}: a slot to settle, or the wait before the key may try again. */
    public record Reservation(Optional<Slot> slot, Optional<Duration> retryAfter) {
    }

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
        evictIfCrowded();
        failures.compute(key, (k, state) -> {
            Key kept = state == null ? new Key() : state;
            prune(kept.times, now);
            add(kept.times, now);
            return kept;
        });
    }

    /**
     * A slot for one check of the key, if its failures and the checks running are under the limit; else the wait:
     * until the oldest failure leaves the window when the failures alone fill it, {@link #RUNNING_CHECK_WAIT} when
     * checks still running do.
     */
    public Reservation reserve(String key) {
        String held = heldKey(key);
        Instant now = clock.instant();
        evictIfCrowded();
        Duration[] wait = { null };
        failures.compute(held, (k, state) -> {
            Key kept = state == null ? new Key() : state;
            prune(kept.times, now);
            if (kept.times.size() >= maxFailures) {
                wait[0] = waitFor(kept.times, now);
            } else if (kept.times.size() + kept.running >= maxFailures) {
                wait[0] = RUNNING_CHECK_WAIT;
            } else {
                kept.running++;
            }
            return kept.idle() ? null : kept;
        });
        return wait[0] == null ? new Reservation(Optional.of(new Slot(held)), Optional.empty())
                : new Reservation(Optional.empty(), Optional.of(wait[0]));
    }

    /**
     * How long the key must wait before its next attempt is looked at; empty while its failures are under the limit
     * (checks running are not failures: a credential already checked may still be served from the cache).
     */
    public Optional<Duration> retryAfter(String key) {
        key = heldKey(key);
        Instant now = clock.instant();
        Duration[] wait = { null };
        failures.computeIfPresent(key, (k, state) -> {
            prune(state.times, now);
            if (state.times.size() >= maxFailures) {
                wait[0] = waitFor(state.times, now);
            }
            return state.idle() ? null : state;
        });
        return Optional.ofNullable(wait[0]);
    }

    /** Drops keys whose failures all left the window and that have no check running. */
    public void evictExpired() {
        Instant now = clock.instant();
        failures.keySet().forEach(key -> failures.computeIfPresent(key, (k, state) -> {
            prune(state.times, now);
            return state.idle() ? null : state;
        }));
    }

    private void evictIfCrowded() {
        if (failures.size() > EVICTION_THRESHOLD) {
            evictExpired();
        }
    }

    private void add(Deque<Instant> times, Instant now) {
        times.addLast(now);
        // Only the newest maxFailures matter for the decision.
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
    }

    private Duration waitFor(Deque<Instant> times, Instant now) {
        return Duration.between(now, times.peekFirst().plus(window));
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
