package io.estuary.frontend.domain;

/** The signer refused the request; the reason is safe to show to the client. */
public class EnrollmentRejectedException extends RuntimeException {
    public EnrollmentRejectedException(String reason) {
        super(reason);
    }
}
