package io.estuary.responder.service;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.estuary.responder.domain.Crls;

/** The CRLs served: the latest the signer published for each CA. */
@ApplicationScoped
public class CrlDistribution {
    private final Crls crls = new Crls();

    public void published(String alias, BigInteger number, Instant thisUpdate, Instant nextUpdate, byte[] der) {
        crls.add(new Crls.Crl(alias, number, thisUpdate, nextUpdate, der));
    }

    public Optional<Crls.Crl> crl(String alias) {
        return crls.of(alias);
    }
}
