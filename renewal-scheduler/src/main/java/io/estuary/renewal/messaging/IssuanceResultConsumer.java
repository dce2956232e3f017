package io.estuary.renewal.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * A poll's worth of results at a time (the channel is in batch mode): tracked in one transaction, so a busy
     * fleet costs the database one commit per batch instead of one per certificate.
     */
    @Incoming(Channels.ISSUANCE_RESULTS)
    public Uni<Void> onResults(List<IssuanceResult> results) {
        List<IssuanceResult> trackable = new ArrayList<>(results.size());
        for (IssuanceResult result : results) {
            if (result == null) {
                LOG.warn("skipped an issuance event that could not be read");
            } else if (trackable(result)) {
                if (storable(result.deviceId())) {
                    trackable.add(result);
                } else {
                    // Issued before the CSR policy limited subjects; one insert refused would hold every partition.
                    LOG.warnf("certificate %s not tracked: its device id (%d characters) cannot be stored",
                            result.serialNumber(), result.deviceId().length());
                }
            }
        }
        if (trackable.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // A database outage holds these partitions until it is back, rather than failing the channel for good and
        // silently tracking nothing more. Tracking is idempotent, so a retry after a lost commit is harmless.
        return tracker.trackAll(trackable).onFailure().invoke(failure -> LOG.warnf(
                "tracking %d certificates failed, retrying: %s", trackable.size(), failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely();
    }

    /**
     * Whether PostgreSQL can store and index the device id: no NUL, and at most 2,400 bytes of UTF-8 (an index entry
     * holds 2,704 with its header).
     */
    static boolean storable(String deviceId) {
        return deviceId.indexOf('\u0000') < 0 && (deviceId.length() * 3 <= 2400
                || deviceId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 2400);
    }

    /** Rejections carry no certificate; a result without a sound validity cannot be scheduled. */
    static boolean trackable(IssuanceResult result) {
        return result.issued() && result.deviceId() != null && result.serialNumber() != null
                && result.notBefore() != null && result.notAfter() != null
                && result.notAfter().isAfter(result.notBefore());
    }
}
