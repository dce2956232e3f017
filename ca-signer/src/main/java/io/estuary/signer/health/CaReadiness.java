package io.estuary.signer.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.estuary.signer.service.AnsweredRequests;
import io.estuary.signer.service.SigningService;
import io.estuary.signer.service.WarmUp;

/**
 * Ready only once the token is logged in, the CA key and certificate were found, the recent results were read and the
 * signer has rehearsed its work ({@link WarmUp}).
 */
@Readiness
@ApplicationScoped
public class CaReadiness implements HealthCheck {
    @Inject
    SigningService signingService;
    @Inject
    AnsweredRequests answeredRequests;
    @Inject
    WarmUp warmUp;

    @Override
    public HealthCheckResponse call() {
        signingService.connect(); // retries the login, so readiness recovers when the token comes back
        String reason = signingService.unavailableReason();
        if (reason == null && !answeredRequests.caughtUp()) {
            reason = "still reading recent issuance results";
        }
        if (reason == null && !warmUp.done()) {
            reason = "warming up";
        }
        return HealthCheckResponse.named("ca-key").status(reason == null).withData("reason",
                reason == null ? "ok" : reason).build();
    }
}
