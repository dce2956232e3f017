package io.estuary.frontend.service;

import io.estuary.contracts.AuthenticationFailed;
import io.smallrye.mutiny.Uni;

/** Where failed authentications go for the audit trail. */
public interface AuthFailurePublisher {
    /** Completes once the event is acknowledged (by the broker). */
    Uni<Void> publish(AuthenticationFailed event);
}
