package io.estuary.renewal.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.RenewalStatusChanged.Status;
import io.estuary.renewal.config.RenewalConfig;
import io.estuary.renewal.domain.CertificateStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Runs this replica's due-scan periodically. */
@ApplicationScoped
public class RenewalScanJob {
    private static final Logger LOG = Logger.getLogger(RenewalScanJob.class);

    /** Outcome of the latest pass, for the readiness check. */
    public record LastScan(Instant at, Map<Status, Integer> published, String error) {
    }

    private final RenewalScanner scanner;
    private final Clock clock;
    private final AtomicReference<LastScan> lastScan = new AtomicReference<>();

    @Inject
    public RenewalScanJob(CertificateStore repository, RenewalEventPublisher publisher, Clock clock,
            RenewalConfig config) {
        this.scanner = new RenewalScanner(repository, publisher, clock, config.scanBatchSize());
        this.clock = clock;
    }

    @Scheduled(identity = "renewal-scan", every = "${estuary.renewal.scan-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scan() {
        return scanner.scanOnce()
                .invoke(published -> {
                    lastScan.set(new LastScan(clock.instant(), published, null));
                    if (published.values().stream().anyMatch(n -> n > 0)) {
                        LOG.infof("renewal events published: %s", published);
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    // The next pass retries; nothing was marked sent for the failed batch.
                    LOG.warnf("renewal scan failed: %s", failure.toString());
                    lastScan.set(new LastScan(clock.instant(), Map.of(), failure.toString()));
                    return null;
                })
                .replaceWithVoid();
    }

    public LastScan lastScan() {
        return lastScan.get();
    }
}
