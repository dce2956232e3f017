package io.estuary.frontend.domain;

/** The credential store (Keycloak) could not be asked — down, timing out, misconfigured: not the client's fault. */
public class CredentialCheckUnavailableException extends RuntimeException {
    public CredentialCheckUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
