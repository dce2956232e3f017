package io.estuary.renewal.domain;

import java.util.List;

import io.estuary.contracts.CertificateRevoked;

/**
 * What a revocation request did: the certificates it revoked, and those it found revoked already (with their first
 * revocation, whose reason and time stand).
 */
public record Revocations(List<CertificateRevoked> added, List<CertificateRevoked> existing) {
}
