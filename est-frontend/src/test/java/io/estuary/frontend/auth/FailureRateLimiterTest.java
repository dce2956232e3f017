package io.estuary.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class FailureRateLimiterTest {
    private final MutableClock clock = new MutableClock();
    private final FailureRateLimiter limiter = new FailureRateLimiter(3, Duration.ofMinutes(5), clock);

    @Test
    void underTheLimitNothingWaits() {
        limiter.recordFailure("device-1");
        limiter.recordFailure("device-1");
        assertEquals(Optional.empty(), limiter.retryAfter("device-1"));
        assertEquals(Optional.empty(), limiter.retryAfter("never-failed"));
    }

    @Test
    void atTheLimitTheKeyWaitsUntilItsOldestFailureLeavesTheWindow() {
        limiter.recordFailure("device-1");
        clock.advance(Duration.ofMinutes(1));
        limiter.recordFailure("device-1");
        limiter.recordFailure("device-1");
        assertEquals(Optional.of(Duration.ofMinutes(4)), limiter.retryAfter("device-1"));
        assertEquals(Optional.empty(), limiter.retryAfter("device-2"), "other keys are not affected");
        clock.advance(Duration.ofMinutes(4));
        assertEquals(Optional.empty(), limiter.retryAfter("device-1"), "one failure left the window");
        limiter.recordFailure("device-1");
        assertTrue(limiter.retryAfter("device-1").isPresent(), "a new failure brings it back to the limit");
    }

    @Test
    void aLongKeyIsHeldShortAndStillCountsForItselfAlone() {
        String common = "u".repeat(5_000);
        String first = common + "1";
        String second = common + "2";
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure(first);
        }
        assertTrue(limiter.retryAfter(first).isPresent());
        assertEquals(Optional.empty(), limiter.retryAfter(second), "a name sharing its first 5,000 characters");
        assertTrue(FailureRateLimiter.heldKey(first).length() < 200, FailureRateLimiter.heldKey(first));
        assertTrue(limiter.longestTrackedKey() < 200, "held as " + limiter.longestTrackedKey() + " characters");
        assertEquals("device-1", FailureRateLimiter.heldKey("device-1"));
        String longest = "x".repeat(FailureRateLimiter.MAX_KEY_LENGTH);
        assertEquals(longest, FailureRateLimiter.heldKey(longest));
    }

    @Test
    void quietKeysAreForgotten() {
        limiter.recordFailure("a");
        limiter.recordFailure("b");
        clock.advance(Duration.ofMinutes(6));
        limiter.evictExpired();
        assertEquals(0, limiter.trackedKeys());
    }

    @Test
    void checksRunningCountAgainstTheLimitUntilSettled() {
        FailureRateLimiter.Slot first = limiter.reserve("device-1").slot().orElseThrow();
        FailureRateLimiter.Slot second = limiter.reserve("device-1").slot().orElseThrow();
        FailureRateLimiter.Slot third = limiter.reserve("device-1").slot().orElseThrow();
        FailureRateLimiter.Reservation fourth = limiter.reserve("device-1");
        assertEquals(Optional.empty(), fourth.slot());
        assertEquals(Optional.of(FailureRateLimiter.RUNNING_CHECK_WAIT), fourth.retryAfter(),
                "refused for checks still running: a short wait");
        assertEquals(Optional.empty(), limiter.retryAfter("device-1"), "checks running are not failures");
        first.release();
        FailureRateLimiter.Slot again = limiter.reserve("device-1").slot().orElseThrow();
        second.failed();
        third.failed();
        again.failed();
        again.failed(); // settled once only
        assertEquals(Optional.of(Duration.ofMinutes(5)), limiter.reserve("device-1").retryAfter(),
                "three failures: refused until the oldest leaves the window");
        assertEquals(Optional.of(Duration.ofMinutes(5)), limiter.retryAfter("device-1"));
        assertTrue(limiter.reserve("device-2").slot().isPresent(), "other keys are not affected");
    }

    @Test
    void aKeyWithACheckRunningIsNotForgotten() {
        FailureRateLimiter.Slot slot = limiter.reserve("device-1").slot().orElseThrow();
        clock.advance(Duration.ofMinutes(6));
        limiter.evictExpired();
        assertEquals(1, limiter.trackedKeys());
        slot.release();
        assertEquals(0, limiter.trackedKeys(), "released and without failures: dropped");
    }

    @Test
    void manyConcurrentReservationsGetNoMoreSlotsThanTheLimit() throws Exception {
        int threads = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<FailureRateLimiter.Reservation>> reservations = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                reservations.add(pool.submit(() -> {
                    start.await();
                    return limiter.reserve("device-1");
                }));
            }
            start.countDown();
            int slots = 0;
            for (Future<FailureRateLimiter.Reservation> reservation : reservations) {
                Optional<FailureRateLimiter.Slot> slot = reservation.get(60, TimeUnit.SECONDS).slot();
                if (slot.isPresent()) {
                    slots++;
                    slot.get().failed();
                }
            }
            assertEquals(3, slots);
            assertTrue(limiter.reserve("device-1").slot().isEmpty());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUp() {
        assertEquals(1, FailureRateLimiter.retryAfterSeconds(Duration.ofMillis(10)));
        assertEquals(2, FailureRateLimiter.retryAfterSeconds(Duration.ofMillis(1500)));
        assertEquals(240, FailureRateLimiter.retryAfterSeconds(Duration.ofMinutes(4)));
    }
}
