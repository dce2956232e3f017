package io.estuary.frontend.domain;

/** The signer failed on the request (an internal error, not the request's fault); nothing was issued. */
public class EnrollmentFailedException extends RuntimeException {
    public EnrollmentFailedException(String reason) {
        super(reason);
    }
}
