package io.estuary.frontend.service;

import java.time.Duration;

import io.estuary.frontend.auth.FailureRateLimiter;

/** An identity or address over its failure limit: 429, its credentials not checked. */
public class TooManyFailuresException extends RuntimeException {
    private final long retryAfterSeconds;

    public TooManyFailuresException(Duration wait) {
        super("too many failed authentications; retry later", null, false, false);
        this.retryAfterSeconds = FailureRateLimiter.retryAfterSeconds(wait);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
