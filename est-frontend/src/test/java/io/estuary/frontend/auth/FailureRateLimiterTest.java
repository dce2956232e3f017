package io.estuary.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

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
    void quietKeysAreForgotten() {
        limiter.recordFailure("a");
        limiter.recordFailure("b");
        clock.advance(Duration.ofMinutes(6));
        limiter.evictExpired();
        assertEquals(0, limiter.trackedKeys());
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUp() {
        assertEquals(1, FailureRateLimiter.retryAfterSeconds(Duration.ofMillis(10)));
        assertEquals(2, FailureRateLimiter.retryAfterSeconds(Duration.ofMillis(1500)));
        assertEquals(240, FailureRateLimiter.retryAfterSeconds(Duration.ofMinutes(4)));
    }
}
