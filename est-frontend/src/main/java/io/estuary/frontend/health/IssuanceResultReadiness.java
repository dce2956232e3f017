package io.estuary.frontend.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

import io.estuary.frontend.service.CaChainSource;
import io.estuary.frontend.service.IssuanceResults;
import io.estuary.frontend.service.RevocationSource;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;

/**
 * Not ready until this instance can receive the signer's answers, knows the chain of every CA it serves, and has read
 * every revocation published before it started (else a revoked certificate could authenticate meanwhile).
 */
@Readiness
@ApplicationScoped
public class IssuanceResultReadiness implements HealthCheck {
    @Inject
    IssuanceResults listener;
    @Inject
    CaChainSource caChains;
    @Inject
    EstLabels labels;
    @Inject
    RevocationSource revocations;

    @Override
    public HealthCheckResponse call() {
        List<String> missing = labels.profiles().values().stream().map(CertificateProfile::caAlias).distinct()
                .filter(alias -> !caChains.knows(alias)).sorted().toList();
        return HealthCheckResponse.named("issuance-results").status(listener.positioned() && missing.isEmpty()
                && revocations.caughtUp())
                .withData("results-reader", listener.positioned() ? "positioned" : "starting")
                .withData("ca-chains-missing", String.join(",", missing))
                .withData("revocations", revocations.caughtUp() ? "read" : "reading").build();
    }
}
