package io.estuary.frontend.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.frontend.warmup.WarmUp;
import io.estuary.pki.policy.CertificateProfile;

class WarmUpReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Test
    void notReadyUntilTheWarmUpIsDone() {
        WarmUp warmUp = new WarmUp(List.of(CertificateProfile.deviceIdentity(Duration.ofDays(30))), JSON,
                Duration.ofMinutes(5), 3, List.of());
        WarmUpReadiness readiness = new WarmUpReadiness();
        readiness.warmUp = warmUp;
        assertEquals(HealthCheckResponse.Status.DOWN, readiness.call().getStatus());
        assertEquals("rehearsing", readiness.call().getData().orElseThrow().get("warm-up"));
        warmUp.rehearse();
        assertEquals(HealthCheckResponse.Status.UP, readiness.call().getStatus());
    }

    @Test
    void aSkippedWarmUpIsDoneAtOnce() {
        WarmUp skipped = new WarmUp(List.of(CertificateProfile.deviceIdentity(Duration.ofDays(30))), JSON,
                Duration.ZERO, 3, List.of());
        WarmUpReadiness readiness = new WarmUpReadiness();
        readiness.warmUp = skipped;
        assertEquals(HealthCheckResponse.Status.DOWN, readiness.call().getStatus(), "not before it has run");
        skipped.rehearse();
        assertEquals(HealthCheckResponse.Status.UP, readiness.call().getStatus());
    }
}
