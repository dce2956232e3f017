package io.estuary.signer.service;

import java.util.concurrent.CompletableFuture;

import io.estuary.contracts.CrlPublished;

/** Where the signer's CRLs go; messaging/ publishes them to the CRL topic. */
public interface CrlPublisher {
    /** Completes once the broker has the CRL. */
    CompletableFuture<Void> publish(CrlPublished crl);
}
