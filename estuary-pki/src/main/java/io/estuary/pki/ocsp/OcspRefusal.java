package io.estuary.pki.ocsp;

import org.bouncycastle.cert.ocsp.OCSPRespBuilder;

/**
 * An OCSP request this responder does not answer with statuses: the unsigned error answers of RFC 6960 §2.3, each
 * with the reason (for the log, not the wire, which carries only the status).
 */
public final class OcspRefusal extends RuntimeException {
    public enum Status {
        /** Not an OCSP request (undecodable, or naming no certificate). */
        MALFORMED_REQUEST(OCSPRespBuilder.MALFORMED_REQUEST),
        /** A certificate of a CA this responder does not answer for, or of two CAs at once. */
        UNAUTHORIZED(OCSPRespBuilder.UNAUTHORIZED),
        /** The responder cannot answer now (its signing key is not available). */
        TRY_LATER(OCSPRespBuilder.TRY_LATER);

        final int code;

        Status(int code) {
            this.code = code;
        }
    }

    private final Status status;

    public OcspRefusal(Status status, String reason) {
        super(reason);
        this.status = status;
    }

    public OcspRefusal(Status status, String reason, Throwable cause) {
        super(reason, cause);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
