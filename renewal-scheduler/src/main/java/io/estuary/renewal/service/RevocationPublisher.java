package io.estuary.renewal.service;

import java.util.List;

import io.estuary.contracts.CertificateRevoked;
import io.smallrye.mutiny.Uni;

/** Where revocations go; completes only once every one is acknowledged by all in-sync Kafka replicas. */
public interface RevocationPublisher {
    Uni<Void> publish(List<CertificateRevoked> revocations);
}
