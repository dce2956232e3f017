package io.estuary.renewal.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.renewal.service.RevocationService;
import io.smallrye.mutiny.Uni;

/**
 * Reads the revocation topic back: a revocation this tracker published is recorded already and changes nothing; one
 * whose commit was lost after it was published, or any in a replay into an empty database, is recorded here.
 */
@ApplicationScoped
public class RevocationConsumer {
    /** The incoming channel on the revocation topic; the outgoing one is {@code Channels.REVOCATIONS}. */
    static final String CHANNEL = "revocation-records";
    private static final Logger LOG = Logger.getLogger(RevocationConsumer.class);

    @Inject
    RevocationService revocations;

    @Incoming(CHANNEL)
    public Uni<Void> onRevocations(List<CertificateRevoked> batch) {
        List<CertificateRevoked> readable = batch.stream().filter(Objects::nonNull).filter(RevocationConsumer::complete)
                .toList();
        if (readable.size() < batch.size()) {
            LOG.warnf("skipped %d revocation records that could not be read", batch.size() - readable.size());
        }
        // As for issuances: a database outage holds the partitions until it is back; recording is idempotent.
        return revocations.record(readable).onFailure().invoke(failure -> LOG.warnf(
                "recording %d revocations failed, retrying: %s", readable.size(), failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely();
    }

    static boolean complete(CertificateRevoked revocation) {
        return revocation.issuer() != null && revocation.serialNumber() != null && revocation.deviceId() != null
                && revocation.reason() != null && revocation.revokedAt() != null && revocation.revokedBy() != null;
    }
}
