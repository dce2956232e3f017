package io.estuary.pki.policy;

/** A well-formed CSR that cannot be honoured: bad signature, unsupported key, refused content. */
public class InvalidCsrException extends RuntimeException {
    public InvalidCsrException(String message) {
        super(message);
    }

    public InvalidCsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
