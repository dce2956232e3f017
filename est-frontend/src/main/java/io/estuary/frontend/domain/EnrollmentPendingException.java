package io.estuary.frontend.domain;

/** The signer has not answered within the wait; the client should retry after the given delay. */
public class EnrollmentPendingException extends RuntimeException {
    private final int retryAfterSeconds;

    public EnrollmentPendingException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
