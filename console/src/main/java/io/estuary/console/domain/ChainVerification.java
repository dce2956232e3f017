package io.estuary.console.domain;

/** The audit service's chain verification: intact, or the first record that breaks it and why. */
public record ChainVerification(boolean valid, long fromSequence, long checked, long headSequence, String headHash,
        Long brokenAtSequence, String problem) {
}
