package io.estuary.console.domain;

import java.time.Instant;

/** A tracked certificate as the renewal scheduler shows it, with its state when asked. */
public record Certificate(String deviceId, String label, String serialNumber, Instant notBefore, Instant notAfter,
        Instant renewAt, Instant overdueAt, String state, String supersededBy, Instant supersededAt) {
}
