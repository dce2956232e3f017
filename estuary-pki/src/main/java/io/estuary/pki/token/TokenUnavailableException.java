package io.estuary.pki.token;

import io.estuary.pki.policy.InvalidCsrException;
import io.estuary.pki.wire.MalformedRequestException;

/**
 * The token holding the CA keys cannot be used now: it cannot be reached or logged in to, it was removed, a session
 * or key handle was lost, or it failed while signing. Not the request's fault and not lasting: a request waits for the
 * token instead of being rejected or failed. Every other fault of this package is a plain
 * {@link IllegalStateException} (a certificate that cannot be assembled, a configuration that cannot work), and bad
 * input is an {@link InvalidCsrException} or a {@link MalformedRequestException}.
 */
public class TokenUnavailableException extends RuntimeException {
    public TokenUnavailableException(String message) {
        super(message);
    }

    public TokenUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
