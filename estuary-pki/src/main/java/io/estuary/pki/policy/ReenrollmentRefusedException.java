package io.estuary.pki.policy;

/** A re-enrollment that does not renew the certificate the client authenticated with (answered 403). */
public class ReenrollmentRefusedException extends RuntimeException {
    public ReenrollmentRefusedException(String message) {
        super(message);
    }
}
