package io.estuary.responder.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.estuary.responder.service.OcspService;

/** Ready once every CA's responder key is read from the token and the issued and revoked certificates are read. */
@Readiness
@ApplicationScoped
public class ResponderReadiness implements HealthCheck {
    @Inject
    OcspService ocsp;

    @Override
    public HealthCheckResponse call() {
        String unavailable = ocsp.unavailableReason();
        return HealthCheckResponse.named("ocsp-responder")
                .withData("responder-keys", unavailable == null ? "loaded" : unavailable)
                .withData("caught-up", ocsp.isCaughtUp())
                .status(unavailable == null && ocsp.isCaughtUp()).build();
    }
}
