package io.estuary.contracts;

import java.time.Instant;

/**
 * A client failed to authenticate to the EST frontend. Never carries the secret it presented.
 *
 * @param eventId       unique id of this event
 * @param identity      the identity the client claimed (user name or client certificate subject), or null
 * @param sourceAddress the client's address
 * @param label         the EST label of the request ({@code ""} for the default one)
 * @param method        how it tried: {@code basic} or {@code certificate}
 * @param reason        why it was refused
 * @param at            when
 */
public record AuthenticationFailed(String eventId, String identity, String sourceAddress, String label, String method,
        String reason, Instant at) {
}
