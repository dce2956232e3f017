package io.estuary.audit.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One audited event at its place in the hash chain. The sequence number is the chain order and the primary key; it is
 * assigned by the appender under the chain lock, never by a database sequence (which would leave gaps).
 */
@Entity
@Table(name = "audit_record", indexes = { @Index(name = "audit_record_device", columnList = "deviceId"),
        @Index(name = "audit_record_serial", columnList = "serialNumber"),
        @Index(name = "audit_record_request", columnList = "requestId"),
        @Index(name = "audit_record_occurred", columnList = "occurredAt") })
public class AuditRecord extends PanacheEntityBase {
    @Id
    public long sequence;
    @Column(nullable = false, unique = true, length = AuditColumns.EVENT_ID)
    public String eventId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public AuditOutcome outcome;
    @Column(nullable = false)
    public Instant occurredAt;
    @Column(length = AuditColumns.DEVICE_ID)
    public String deviceId;
    @Column(length = AuditColumns.SERIAL_NUMBER)
    public String serialNumber;
    @Column(length = AuditColumns.LABEL)
    public String label;
    @Column(length = AuditColumns.REQUESTER)
    public String requester;
    @Column(length = AuditColumns.REQUEST_ID)
    public String requestId;
    @Column(length = AuditColumns.REASON)
    public String reason;
    @Column(nullable = false, columnDefinition = "text")
    public String payload;
    @Column(nullable = false)
    public Instant sourceTimestamp;
    @Column(nullable = false)
    public String sourceTopic;
    @Column(nullable = false)
    public int sourcePartition;
    @Column(nullable = false)
    public long sourceOffset;
    @Column(nullable = false, length = 64)
    public String previousHash;
    @Column(nullable = false, length = 64)
    public String hash;
    /** When this store wrote the row; local, so outside the hashed content (a replay writes another time). */
    @Column(nullable = false)
    public Instant recordedAt;

    public static AuditRecord of(ChainedEntry chained, Instant recordedAt) {
        AuditEntry entry = chained.entry();
        AuditRecord record = new AuditRecord();
        record.sequence = chained.sequence();
        record.eventId = entry.eventId();
        record.outcome = entry.outcome();
        record.occurredAt = entry.occurredAt();
        record.deviceId = entry.deviceId();
        record.serialNumber = entry.serialNumber();
        record.label = entry.label();
        record.requester = entry.requester();
        record.requestId = entry.requestId();
        record.reason = entry.reason();
        record.payload = entry.payload();
        record.sourceTimestamp = entry.source().timestamp();
        record.sourceTopic = entry.source().topic();
        record.sourcePartition = entry.source().partition();
        record.sourceOffset = entry.source().offset();
        record.previousHash = chained.previousHash();
        record.hash = chained.hash();
        record.recordedAt = recordedAt;
        return record;
    }

    /** The row as the chain sees it, to recompute its hash. */
    public ChainedEntry toChainedEntry() {
        SourcePosition source = new SourcePosition(sourceTimestamp, sourceTopic, sourcePartition, sourceOffset);
        AuditEntry entry = new AuditEntry(eventId, outcome, occurredAt, deviceId, serialNumber, label, requester,
                requestId, reason, payload, source);
        return new ChainedEntry(sequence, entry, previousHash, hash);
    }

    public SourcePosition source() {
        return new SourcePosition(sourceTimestamp, sourceTopic, sourcePartition, sourceOffset);
    }
}
