package io.estuary.renewal.domain;

/** A revocation request that cannot be carried out as written; the message says why. */
public class InvalidRevocationException extends RuntimeException {
    public InvalidRevocationException(String message) {
        super(message);
    }
}
