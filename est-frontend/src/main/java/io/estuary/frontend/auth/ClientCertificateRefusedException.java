package io.estuary.frontend.auth;

/** A TLS client certificate that may not do what the request asks, with the reason the client is told. */
public class ClientCertificateRefusedException extends RuntimeException {

    /** Why, and so which status: see docs/authentication.md, "TLS client certificates", for the reasoning. */
    public enum Refusal {
        /** Expired or not yet valid (or a certificate of its chain is): 401, the client must authenticate again. */
        OUTSIDE_VALIDITY(401, true),
        /** No CA Estuary trusts vouches for it (foreign CA, broken chain, bad signature): 403. */
        UNTRUSTED(403, true),
        /** Trusted and valid, but not allowed here (a device certificate enrolling, a bootstrap certificate of
         * another label): 403, an authorization decision rather than a failed authentication. */
        NOT_ALLOWED(403, false);

        private final int status;
        private final boolean authenticationFailure;

        Refusal(int status, boolean authenticationFailure) {
            this.status = status;
            this.authenticationFailure = authenticationFailure;
        }

        public int status() {
            return status;
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
