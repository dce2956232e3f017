package io.estuary.frontend.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.estuary.frontend.warmup.WarmUp;

/** Not ready until the frontend has rehearsed an enrollment's work ({@link WarmUp}). */
@Readiness
@ApplicationScoped
public class WarmUpReadiness implements HealthCheck {
    @Inject
    WarmUp warmUp;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("warm-up").status(warmUp.done())
                .withData("warm-up", warmUp.done() ? "done" : "rehearsing").build();
    }
}
