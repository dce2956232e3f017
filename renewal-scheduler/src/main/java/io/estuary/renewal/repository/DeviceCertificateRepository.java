package io.estuary.renewal.repository;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DeviceCertificateRepository implements PanacheRepository<DeviceCertificate> {

    public Uni<DeviceCertificate> findByDevice(String deviceId) {
        return find("deviceId", deviceId).firstResult();
    }

    /** Devices whose renewal point is at or before {@code until}, soonest first. */
    public Uni<List<DeviceCertificate>> renewalDueBy(Instant until, int limit) {
        return find("renewAt <= ?1", Sort.by("renewAt").and("id"), until).page(0, limit).list();
    }
}
