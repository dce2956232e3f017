package io.estuary.audit.repository;

import java.util.List;
import java.util.StringJoiner;

import jakarta.enterprise.context.ApplicationScoped;

import io.estuary.audit.domain.AuditOutcome;
import io.estuary.audit.domain.AuditQuery;
import io.estuary.audit.domain.AuditRecord;
import io.estuary.audit.domain.AuditRecords;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Reads of the chain for the APIs; appends go through {@link AuditRecordWriter}. */
@ApplicationScoped
public class AuditRecordRepository implements PanacheRepositoryBase<AuditRecord, Long>, AuditRecords {
    private static final List<AuditOutcome> DECISIONS = List.of(AuditOutcome.ISSUED, AuditOutcome.REJECTED);

    /** Records in chain order after sequence number {@code after}, at most {@code limit}. */
    @Override
    public Uni<List<AuditRecord>> page(AuditQuery query, long after, int limit) {
        return page(query, after, Long.MAX_VALUE, limit);
    }

    /**
     * Records in chain order after sequence number {@code after} and up to {@code through}, at most {@code limit}:
     * keyset pagination on the primary key, so every page costs the same however far into the chain it is.
     */
    @Override
    public Uni<List<AuditRecord>> page(AuditQuery query, long after, long through, int limit) {
        StringJoiner where = new StringJoiner(" and ");
        Parameters parameters = Parameters.with("after", after);
        where.add("sequence > :after");
        if (through != Long.MAX_VALUE) {
            where.add("sequence <= :through");
            parameters.and("through", through);
        }
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

    /** The last record's sequence number, 0 for an empty chain. */
    @Override
    public Uni<Long> headSequence() {
        return getSession().chain(session -> session
                .createSelectionQuery("select coalesce(max(sequence), 0) from AuditRecord", Long.class)
                .getSingleResult());
    }

    /** The stored hash of a record, or null when the store has no record with that sequence number. */
    @Override
    public Uni<String> hashAt(long sequence) {
        return getSession().chain(session -> session
                .createSelectionQuery("select hash from AuditRecord where sequence = :sequence", String.class)
                .setParameter("sequence", sequence).getSingleResultOrNull());
    }

    /** Issued and rejected decisions for a device, in chain order. */
    @Override
    public Uni<List<AuditRecord>> issuanceResultsForDevice(String deviceId) {
        return list("outcome in :outcomes and deviceId = :device", Sort.by("sequence"),
                Parameters.with("outcomes", DECISIONS).and("device", deviceId));
    }

    @Override
    public Uni<List<AuditRecord>> issuanceResultsForRequest(String requestId) {
        return list("outcome in :outcomes and requestId = :request", Sort.by("sequence"),
                Parameters.with("outcomes", DECISIONS).and("request", requestId));
    }

    @Override
    public Uni<Long> recordCount() {
        return count();
    }
}
