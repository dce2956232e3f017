package io.estuary.frontend.service;

import io.estuary.contracts.CsrSubmitted;
import io.smallrye.mutiny.Uni;

/** Where checked CSRs go to the signer. */
public interface CsrPublisher {
    /** Completes once the request is acknowledged (by the broker), fails if it cannot be handed over. */
    Uni<Void> publish(CsrSubmitted request);
}
