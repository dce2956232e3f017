package io.estuary.frontend.service;

import java.util.Optional;

import io.estuary.contracts.IssuanceResult;

/**
 * The signer's recent answers, for retries of requests already decided. Answers to requests this instance waits on
 * reach it through {@link PendingEnrollments#complete}.
 */
public interface IssuanceResults {
    /** Whether the reader is positioned on the answers, so no answer to a waiting request can be missed. */
    boolean positioned();

    /** Whether an answer to the request is known; never blocks. */
    boolean knows(String requestId);

    /** The answer to the request, read back: may block, call it off the event loop. */
    Optional<IssuanceResult> find(String requestId);

    /**
     * The answer to the request if it is held in memory (one of the latest); never blocks. Empty does not mean
     * unknown: {@link #find} may still read it back.
     */
    Optional<IssuanceResult> findHeld(String requestId);
}
