package io.estuary.pki.ocsp;

import java.time.Instant;

/** What the responder knows of a serial number of a CA (RFC 6960 §2.2). */
public sealed interface SerialStatus {
    SerialStatus GOOD = new Good();
    SerialStatus UNKNOWN = new Unknown();

    /** The CA issued it, and it is not revoked. */
    record Good() implements SerialStatus {
    }

    /** The CA never issued it (as far as the responder knows). */
    record Unknown() implements SerialStatus {
    }

    /** Revoked at a time, for an RFC 5280 CRLReason code. */
    record Revoked(Instant revokedAt, int reasonCode) implements SerialStatus {
    }
}
