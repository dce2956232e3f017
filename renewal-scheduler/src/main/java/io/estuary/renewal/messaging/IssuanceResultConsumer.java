package io.estuary.renewal.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.estuary.contracts.Channels;
import io.estuary.contracts.IssuanceResult;
import io.estuary.renewal.service.RenewalTracker;
import io.smallrye.mutiny.Uni;

/** Tracks every issued certificate; rejections carry no certificate and are not tracked. */
@ApplicationScoped
public class IssuanceResultConsumer {
    private static final Logger LOG = Logger.getLogger(IssuanceResultConsumer.class);

    @Inject
    RenewalTracker tracker;

    @Incoming(Channels.ISSUANCE_RESULTS)
    public Uni<Void> onResult(IssuanceResult result) {
        if (result == null) {
            LOG.warn("skipped an issuance event that could not be read");
            return Uni.createFrom().voidItem();
        }
        if (!result.issued() || result.deviceId() == null || result.serialNumber() == null
                || result.notBefore() == null || result.notAfter() == null
                || !result.notAfter().isAfter(result.notBefore())) {
            return Uni.createFrom().voidItem();
        }
        // A database outage holds this partition until it is back, rather than failing the channel for good and
        // silently tracking nothing more. The event is idempotent, so a retry after a lost commit is harmless.
        return tracker.track(result).onFailure().invoke(failure -> LOG.warnf("tracking %s failed, retrying: %s",
                result.serialNumber(), failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely();
    }
}
