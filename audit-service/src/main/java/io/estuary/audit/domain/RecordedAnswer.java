package io.estuary.audit.domain;

import java.time.Instant;

/**
 * A signer's answer to a request as the trail records it: the certificate's serial number (null for a rejection) and
 * when the signer decided.
 */
public record RecordedAnswer(String serialNumber, Instant occurredAt) {
}
