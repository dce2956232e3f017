package io.estuary.renewal.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntity;

/** A device's current certificate and when it should be renewed. */
@Entity
@Table(name = "renewal_device_certificate", indexes = @Index(name = "renewal_due", columnList = "renewAt"))
public class DeviceCertificate extends PanacheEntity {
    @Column(nullable = false, unique = true)
    public String deviceId;
    @Column(nullable = false)
    public String label;
    @Column(nullable = false)
    public String serialNumber;
    @Column(nullable = false)
    public Instant notBefore;
    @Column(nullable = false)
    public Instant notAfter;
    @Column(nullable = false)
    public Instant renewAt;
    @Column(nullable = false)
    public Instant updatedAt;
}
