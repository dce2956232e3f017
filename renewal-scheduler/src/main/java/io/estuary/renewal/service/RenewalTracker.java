package io.estuary.renewal.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.estuary.contracts.IssuanceResult;
import io.estuary.renewal.repository.DeviceCertificate;
import io.estuary.renewal.repository.DeviceCertificateRepository;
import io.smallrye.mutiny.Uni;

/** Keeps, per device, the newest certificate issued to it and that certificate's renewal point. */
@ApplicationScoped
public class RenewalTracker {
    @Inject
    DeviceCertificateRepository repository;

    private final RenewalPolicy policy;

    @Inject
    public RenewalTracker(@ConfigProperty(name = "estuary.renewal.percent-of-lifetime", defaultValue = "80") int percent) {
        this.policy = new RenewalPolicy(percent);
    }

    /** Must run inside a transaction. Older certificates arriving late never replace a newer one. */
    public Uni<Void> track(IssuanceResult issued) {
        return repository.findByDevice(issued.deviceId()).chain(current -> {
            if (current != null && !issued.notBefore().isAfter(current.notBefore)) {
                return Uni.createFrom().voidItem();
            }
            DeviceCertificate device = current != null ? current : new DeviceCertificate();
            device.deviceId = issued.deviceId();
            device.label = issued.label();
            device.serialNumber = issued.serialNumber();
            device.notBefore = issued.notBefore();
            device.notAfter = issued.notAfter();
            device.renewAt = policy.renewalPoint(issued.notBefore(), issued.notAfter());
            device.updatedAt = Instant.now();
            return repository.persist(device).replaceWithVoid();
        });
    }
}
