package io.estuary.frontend.domain;

/** An identity or address over its failure limit: its credentials are not checked. */
public class TooManyFailuresException extends RuntimeException {
    private final long retryAfterSeconds;

    public TooManyFailuresException(long retryAfterSeconds) {
        super("too many failed authentications; retry later", null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
