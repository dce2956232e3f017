package io.estuary.testkit;

import java.time.Instant;
import java.util.UUID;

import io.estuary.contracts.IssuanceResult;

/** Issuance events as the signer publishes them, for services downstream of it. */
public final class TestIssuances {
    private TestIssuances() {
    }

    public static IssuanceResult issued(String deviceId, String serial, Instant notBefore, Instant notAfter) {
        return new IssuanceResult(UUID.randomUUID().toString(), "test-requester", "", IssuanceResult.Outcome.ISSUED,
                null, deviceId, "CN=" + deviceId, serial, "CN=Test CA", notBefore, notAfter, "AAAA", Instant.now());
    }

    public static IssuanceResult rejected(String reason) {
        return new IssuanceResult(UUID.randomUUID().toString(), "test-requester", "", IssuanceResult.Outcome.REJECTED,
                reason, null, null, null, null, null, null, null, Instant.now());
    }
}
