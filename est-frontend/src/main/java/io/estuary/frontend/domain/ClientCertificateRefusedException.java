package io.estuary.frontend.domain;

/** A TLS client certificate that may not do what the request asks, with the reason the client is told. */
public class ClientCertificateRefusedException extends RuntimeException {

    /** Why it was refused; docs/authentication.md, "TLS client certificates", gives the status of each. */
    public enum Refusal {
        /** Expired or not yet valid (or a certificate of its chain is): the client must authenticate again. */
        OUTSIDE_VALIDITY(true),
        /** No CA Estuary trusts vouches for it (foreign CA, broken chain, bad signature). */
        UNTRUSTED(true),
        /** Trusted and valid, but not allowed here (a device certificate enrolling, a bootstrap certificate of
         * another label): an authorization decision rather than a failed authentication. */
        NOT_ALLOWED(false),
        /** Issued by Estuary and revoked by an operator: it no longer authenticates anywhere. */
        REVOKED(true);

        private final boolean authenticationFailure;

        Refusal(boolean authenticationFailure) {
            this.authenticationFailure = authenticationFailure;
        }

        /** Whether it counts as a failed authentication (rate limits, {@code AuthenticationFailed} events). */
        public boolean authenticationFailure() {
            return authenticationFailure;
        }
    }

    private final Refusal refusal;

    public ClientCertificateRefusedException(Refusal refusal, String reason) {
        super(reason);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
