package io.estuary.frontend.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.frontend.config.FrontendConfig;
import io.estuary.pki.ca.EnrollmentRequestId;
import io.estuary.pki.ca.IssuanceWarmUp;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.wire.Base64Body;
import io.quarkus.runtime.StartupEvent;

/**
 * The frontend's warm-up: besides the CSR checks under every profile, it writes request events and reads the results'
 * JSON. No CA of the deployment signs and nothing is published; it ends after {@code estuary.frontend.warm-up} at most
 * (0 skips it).
 */
@Singleton
public class WarmUp extends IssuanceWarmUp {
    private final ObjectMapper json;

    @Inject
    public WarmUp(EstLabels labels, ObjectMapper json, FrontendConfig config) {
        this(labels.profiles().values().stream().distinct().toList(), json, config.warmUp(), ROUNDS);
    }

    public WarmUp(Collection<CertificateProfile> profiles, ObjectMapper json, Duration limit, int rounds) {
        super(profiles, limit, rounds);
        this.json = json;
    }

    void onStartup(@Observes StartupEvent event) {
        start();
    }

    @Override
    protected void rehearseEvents(byte[] der, Instant now) throws java.io.IOException {
        String csr = Base64Body.compact(der);
        String requestId = EnrollmentRequestId.of("warm-up", "", "simpleenroll", der);
        json.writeValueAsBytes(new CsrSubmitted(requestId, "warm-up", "", "simpleenroll", csr, now));
        byte[] answer = json.writeValueAsBytes(new IssuanceResult(requestId, "warm-up", "",
                IssuanceResult.Outcome.ISSUED, null, "warm-up", "CN=warm-up", UUID.randomUUID().toString(),
                "CN=warm-up", now, now, Base64.getEncoder().encodeToString(der), now));
        json.readValue(answer, IssuanceResult.class);
    }
}
