package io.estuary.audit.messaging;

/** An event that cannot be audited: unreadable JSON, or a required field missing. It is skipped, never retried. */
public class MalformedEventException extends Exception {
    public MalformedEventException(String message) {
        super(message);
    }
}
