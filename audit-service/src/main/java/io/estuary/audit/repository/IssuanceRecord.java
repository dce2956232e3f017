package io.estuary.audit.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import io.estuary.contracts.IssuanceResult;
import io.quarkus.hibernate.reactive.panache.PanacheEntity;

/** One signer decision as the audit trail keeps it. The certificate itself is kept too, for an auditor's checks. */
@Entity
@Table(name = "audit_issuance", indexes = { @Index(name = "audit_issuance_device", columnList = "deviceId"),
        @Index(name = "audit_issuance_serial", columnList = "serialNumber") })
public class IssuanceRecord extends PanacheEntity {
    @Column(nullable = false, unique = true)
    public String requestId;
    @Column(nullable = false)
    public String requester;
    @Column(nullable = false)
    public String label;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public IssuanceResult.Outcome outcome;
    @Column(length = 1000)
    public String reason;
    public String deviceId;
    @Column(length = 1000)
    public String subject;
    public String serialNumber;
    @Column(length = 1000)
    public String issuer;
    public Instant notBefore;
    public Instant notAfter;
    @Column(length = 8000)
    public String certificate;
    @Column(nullable = false)
    public Instant decidedAt;
    @Column(nullable = false)
    public Instant recordedAt;

    public static IssuanceRecord of(IssuanceResult result, Instant recordedAt) {
        IssuanceRecord record = new IssuanceRecord();
        record.requestId = result.requestId();
        record.requester = result.requester();
        record.label = result.label();
        record.outcome = result.outcome();
        record.reason = result.reason();
        record.deviceId = result.deviceId();
        record.subject = result.subject();
        record.serialNumber = result.serialNumber();
        record.issuer = result.issuer();
        record.notBefore = result.notBefore();
        record.notAfter = result.notAfter();
        record.certificate = result.certificate();
        record.decidedAt = result.decidedAt();
        record.recordedAt = recordedAt;
        return record;
    }
}
