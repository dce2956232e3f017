package io.estuary.frontend.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

import io.estuary.frontend.service.CaChainSource;
import io.estuary.frontend.service.IssuanceResults;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;

/** Not ready until this instance can receive the signer's answers and knows the chain of every CA it serves. */
@Readiness
@ApplicationScoped
public class IssuanceResultReadiness implements HealthCheck {
    @Inject
    IssuanceResults listener;
    @Inject
    CaChainSource caChains;
    @Inject
    EstLabels labels;

    @Override
    public HealthCheckResponse call() {
        List<String> missing = labels.profiles().values().stream().map(CertificateProfile::caAlias).distinct()
                .filter(alias -> !caChains.knows(alias)).sorted().toList();
        return HealthCheckResponse.named("issuance-results").status(listener.positioned() && missing.isEmpty())
                .withData("results-reader", listener.positioned() ? "positioned" : "starting")
                .withData("ca-chains-missing", String.join(",", missing)).build();
    }
}
