package io.estuary.renewal.service;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.estuary.contracts.RenewalStatusChanged;
import io.estuary.contracts.RenewalStatusChanged.Status;
import io.estuary.renewal.domain.CertificateStore;
import io.estuary.renewal.domain.TrackedCertificate;
import io.smallrye.mutiny.Uni;

/**
 * One pass of the due-scan: for DUE, then OVERDUE, then EXPIRED, claims batches of certificates that reached the
 * status and publishes one event each, until none are left. Any number of scanners (replicas) may run at once against
 * the same database: claims skip rows another scanner holds, and a row is marked sent in the transaction that held
 * it while its event was acknowledged. Plain class, so tests and the benchmark can run several side by side.
 */
public class RenewalScanner {
    private final CertificateStore repository;
    private final RenewalEventPublisher publisher;
    private final Clock clock;
    private final int batchSize;

    public RenewalScanner(CertificateStore repository, RenewalEventPublisher publisher, Clock clock,
            int batchSize) {
        this.repository = repository;
        this.publisher = publisher;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Runs one pass; returns how many events of each status this scanner published. */
    public Uni<Map<Status, Integer>> scanOnce() {
        Instant now = clock.instant();
        Map<Status, Integer> published = new EnumMap<>(Status.class);
        Uni<Void> pass = Uni.createFrom().voidItem();
        for (Status status : Status.values()) {
            pass = pass.chain(() -> drain(status, now, published));
        }
        return pass.replaceWith(published);
    }

    private Uni<Void> drain(Status status, Instant now, Map<Status, Integer> published) {
        return repository.claimAndPublish(status, now, batchSize,
                claimed -> publisher.publish(claimed.stream().map(c -> event(c, status, now)).toList()))
                .chain(claimed -> {
                    published.merge(status, claimed.size(), Integer::sum);
                    // A full batch means there may be more; a short one means this status is drained for now.
                    return claimed.size() < batchSize ? Uni.createFrom().voidItem() : drain(status, now, published);
                });
    }

    static RenewalStatusChanged event(TrackedCertificate certificate, Status status, Instant now) {
        return new RenewalStatusChanged(RenewalStatusChanged.eventIdFor(certificate.serialNumber(), status),
                certificate.deviceId(), certificate.label(), certificate.serialNumber(), status,
                certificate.schedule().renewAt(), certificate.schedule().notAfter(), now);
    }
}
