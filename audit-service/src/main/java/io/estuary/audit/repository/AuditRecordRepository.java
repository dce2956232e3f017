package io.estuary.audit.repository;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import jakarta.enterprise.context.ApplicationScoped;

import io.estuary.audit.service.AuditOutcome;
import io.estuary.audit.service.AuditQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class AuditRecordRepository implements PanacheRepositoryBase<AuditRecord, Long> {
    private static final List<AuditOutcome> DECISIONS = List.of(AuditOutcome.ISSUED, AuditOutcome.REJECTED);
    /** Arbitrary, fixed key of the PostgreSQL advisory lock that serialises appends to the chain. */
    private static final long CHAIN_LOCK_KEY = 0x6573747561727941L;

    /**
     * Takes the chain's append lock until the transaction ends. Every appender, in this process or another (a second
     * instance, a replay), reads the head and appends under it, so the chain never forks.
     */
    public Uni<Void> lockChainForAppend() {
        return getSession().chain(session -> session
                .createNativeQuery("select 1 from pg_advisory_xact_lock(" + CHAIN_LOCK_KEY + ")", Integer.class)
                .getSingleResult()).replaceWithVoid();
    }

    /** The last record of the chain, or null when the store is empty. */
    public Uni<AuditRecord> head() {
        return find("order by sequence desc").firstResult();
    }

    public Uni<Set<String>> existingEventIds(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return getSession().chain(session -> session
                .createSelectionQuery("select eventId from AuditRecord where eventId in :ids", String.class)
                .setParameter("ids", eventIds).getResultList()).map(Set::copyOf);
    }

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
