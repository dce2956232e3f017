package io.estuary.audit.service;

/** A verification or export refused because another is running; its message is the reason returned with the 429. */
public class RunRefusedException extends RuntimeException {
    public RunRefusedException(String message) {
        super(message);
    }
}
