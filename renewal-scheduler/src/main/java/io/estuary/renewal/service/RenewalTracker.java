package io.estuary.renewal.service;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.estuary.contracts.IssuanceResult;
import io.estuary.renewal.config.RenewalConfig;
import io.estuary.renewal.domain.CertificateStore;
import io.estuary.renewal.domain.RenewalSchedule;
import io.estuary.renewal.domain.TrackedCertificate;
import io.smallrye.mutiny.Uni;

/** Turns an issued certificate into a tracked one with its renewal schedule under the label's policy. */
@ApplicationScoped
public class RenewalTracker {
    private final CertificateStore repository;
    private final RenewalPolicy policy;
    private final Clock clock;

    @Inject
    public RenewalTracker(CertificateStore repository, RenewalConfig config, Clock clock) {
        this.repository = repository;
        this.policy = RenewalPolicy.of(config.threshold(), config.labelThresholds(), config.grace());
        this.clock = clock;
    }

    /** Idempotent: a redelivered issuance changes nothing; an older certificate arriving late never becomes current. */
    public Uni<Void> track(IssuanceResult issued) {
        return trackAll(List.of(issued));
    }

    /** {@link #track} for a batch of issuances, recorded in one transaction. */
    public Uni<Void> trackAll(List<IssuanceResult> issued) {
        return repository.trackAll(issued.stream().map(this::tracked).toList(), clock.instant()).replaceWithVoid();
    }

    private TrackedCertificate tracked(IssuanceResult issued) {
        String label = issued.label() == null ? "" : issued.label();
        RenewalSchedule schedule = policy.schedule(label, issued.notBefore(), issued.notAfter());
        return new TrackedCertificate(issued.serialNumber(), issued.deviceId(), label, issued.issuer(), schedule, null, null, null,
                null, null, null);
    }
}
