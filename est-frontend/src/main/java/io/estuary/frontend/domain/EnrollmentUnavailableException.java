package io.estuary.frontend.domain;

/** The request could not be handed to the CA (the broker is unreachable); nothing was issued. */
public class EnrollmentUnavailableException extends RuntimeException {
    public EnrollmentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
