package io.estuary.frontend.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.estuary.frontend.messaging.IssuanceResultReader;

/** Not ready until this instance can receive the signer's answers. */
@Readiness
@ApplicationScoped
public class IssuanceResultReadiness implements HealthCheck {
    @Inject
    IssuanceResultReader listener;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("issuance-results").status(listener.positioned()).build();
    }
}
