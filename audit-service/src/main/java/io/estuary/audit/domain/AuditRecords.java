package io.estuary.audit.domain;

import java.util.List;

import io.smallrye.mutiny.Uni;

/** Reads of the stored chain, within a Panache session; repository/ implements them. */
public interface AuditRecords {
    /** Records in chain order after sequence number {@code after}, at most {@code limit}. */
    Uni<List<AuditRecord>> page(AuditQuery query, long after, int limit);

    /** Records in chain order after sequence number {@code after} and up to {@code through}, at most {@code limit}. */
    Uni<List<AuditRecord>> page(AuditQuery query, long after, long through, int limit);

    /** The last record's sequence number, 0 for an empty chain. */
    Uni<Long> headSequence();

    /** The stored hash of a record, or null when the store has no record with that sequence number. */
    Uni<String> hashAt(long sequence);

    /** How many records the store holds. */
    Uni<Long> recordCount();

    /** Issued and rejected decisions for a device, in chain order. */
    Uni<List<AuditRecord>> issuanceResultsForDevice(String deviceId);

    /** Issued and rejected decisions for a request, in chain order. */
    Uni<List<AuditRecord>> issuanceResultsForRequest(String requestId);
}
