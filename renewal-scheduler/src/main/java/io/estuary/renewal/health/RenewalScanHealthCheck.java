package io.estuary.renewal.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.estuary.renewal.service.RenewalScanJob;

/** Not ready while the latest due-scan failed (database or broker unreachable): its events are not going out. */
@Readiness
@ApplicationScoped
public class RenewalScanHealthCheck implements HealthCheck {
    @Inject
    RenewalScanJob job;

    @Override
    public HealthCheckResponse call() {
        RenewalScanJob.LastScan last = job.lastScan();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("renewal-scan").up();
        if (last == null) {
            return response.withData("lastScan", "none yet").build();
        }
        response.withData("lastScan", last.at().toString());
        return last.error() == null ? response.build() : response.down().withData("error", last.error()).build();
    }
}
