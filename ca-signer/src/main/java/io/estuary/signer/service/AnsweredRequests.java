package io.estuary.signer.service;

import java.util.Optional;

import io.estuary.contracts.IssuanceResult;

/**
 * Requests answered recently, by any signer instance, with a decision or a deterministic failure; messaging/ keeps
 * them on the results topic.
 */
public interface AnsweredRequests {
    /** Whether every answer given before this signer started has been read, so a redelivery is recognised. */
    boolean caughtUp();

    /**
     * Asks to read every answer given until now, by any signer; {@link #caughtUpWith} tells when that is done. A
     * signer that takes over requests from another asks this first, or it could sign again a request the other had
     * just answered.
     */
    long askToCatchUp();

    /** Whether every answer given before the ask was made has been read. */
    boolean caughtUpWith(long ask);

    /** The answer given to the request, if any; throws while the answers cannot be read back. */
    Optional<IssuanceResult> find(String requestId);

    /** Remembers an answer given now. */
    void record(IssuanceResult result);
}
