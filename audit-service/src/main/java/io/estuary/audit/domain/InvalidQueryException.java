package io.estuary.audit.domain;

/** A request the audit API cannot answer as asked; its message is the reason returned with the 400. */
public class InvalidQueryException extends RuntimeException {
    public InvalidQueryException(String message) {
        super(message);
    }
}
