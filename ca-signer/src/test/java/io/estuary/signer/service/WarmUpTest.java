package io.estuary.signer.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.pki.policy.CertificateProfile;

class WarmUpTest {
    @Test
    void notDoneUntilTheRehearsalHasRun() {
        WarmUp warmUp = new WarmUp(List.of(CertificateProfile.deviceIdentity(Duration.ofDays(30))),
                new ObjectMapper().findAndRegisterModules(), Duration.ofMinutes(5), 3, List.of());
        assertFalse(warmUp.done(), "the readiness check reports 'warming up' meanwhile");
        warmUp.rehearse();
        assertTrue(warmUp.done());
    }
}
