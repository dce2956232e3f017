package io.estuary.audit.service;

/** A verification that could not finish (the database failed, the heap ran out); returned as 503 with the reason. */
public class VerificationFailedException extends RuntimeException {
    public VerificationFailedException(String runId, Throwable cause) {
        super("chain verification " + runId + " failed: " + cause + "; the chain is neither found intact nor broken,"
                + " run it again", cause);
    }
}
