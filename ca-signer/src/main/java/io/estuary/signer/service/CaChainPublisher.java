package io.estuary.signer.service;

import java.util.Map;

import io.estuary.pki.ca.CertificateAuthority;

/** Where each CA's chain goes whenever the signer (re)loads its CAs; messaging/ publishes it to Kafka. */
public interface CaChainPublisher {
    /** Publishes the chain (public certificates only) of each CA, by alias. */
    void publish(Map<String, CertificateAuthority> authorities);
}
