package io.estuary.audit.repository;

import java.util.List;
import java.util.StringJoiner;

import jakarta.enterprise.context.ApplicationScoped;

import io.estuary.audit.service.AuditOutcome;
import io.estuary.audit.service.AuditQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Reads of the chain for the APIs; appends go through {@link AuditRecordWriter}. */
@ApplicationScoped
public class AuditRecordRepository implements PanacheRepositoryBase<AuditRecord, Long> {
    private static final List<AuditOutcome> DECISIONS = List.of(AuditOutcome.ISSUED, AuditOutcome.REJECTED);

    /** Records in chain order after sequence number {@code after}, at most {@code limit}. */
    public Uni<List<AuditRecord>> page(AuditQuery query, long after, int limit) {
        StringJoiner where = new StringJoiner(" and ");
        Parameters parameters = Parameters.with("after", after);
        where.add("sequence > :after");
        if (query.deviceId() != null) {
            where.add("deviceId = :device");
            parameters.and("device", query.deviceId());
        }
        if (query.serialNumber() != null) {
            where.add("serialNumber = :serial");
            parameters.and("serial", query.serialNumber());
        }
        if (query.label() != null) {
            where.add("label = :label");
            parameters.and("label", query.label());
        }
        if (query.outcome() != null) {
            where.add("outcome = :outcome");
            parameters.and("outcome", query.outcome());
        }
        if (query.requestId() != null) {
            where.add("requestId = :request");
            parameters.and("request", query.requestId());
        }
        if (query.from() != null) {
            where.add("occurredAt >= :from");
            parameters.and("from", query.from());
        }
        if (query.to() != null) {
            where.add("occurredAt < :to");
            parameters.and("to", query.to());
        }
        return find(where.toString(), Sort.by("sequence"), parameters).range(0, limit - 1).list();
    }

    /** Issued and rejected decisions for a device, in chain order. */
    public Uni<List<AuditRecord>> issuanceResultsForDevice(String deviceId) {
        return list("outcome in :outcomes and deviceId = :device", Sort.by("sequence"),
                Parameters.with("outcomes", DECISIONS).and("device", deviceId));
    }

    public Uni<List<AuditRecord>> issuanceResultsForRequest(String requestId) {
        return list("outcome in :outcomes and requestId = :request", Sort.by("sequence"),
                Parameters.with("outcomes", DECISIONS).and("request", requestId));
    }
}
