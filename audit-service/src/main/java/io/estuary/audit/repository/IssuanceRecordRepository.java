package io.estuary.audit.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class IssuanceRecordRepository implements PanacheRepository<IssuanceRecord> {

    public Uni<IssuanceRecord> findByRequestId(String requestId) {
        return find("requestId", requestId).firstResult();
    }

    public Uni<List<IssuanceRecord>> findByDevice(String deviceId) {
        return list("deviceId", Sort.by("decidedAt").and("id"), deviceId);
    }
}
