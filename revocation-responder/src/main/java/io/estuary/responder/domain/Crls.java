package io.estuary.responder.domain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest CRL of each CA, by alias: an older one read later (a replay of the topic) never replaces it. */
public final class Crls {
    /** A CA's CRL as served: DER, its number and until when it is valid. */
    public record Crl(String alias, BigInteger number, Instant thisUpdate, Instant nextUpdate, byte[] der) {
    }

    private final Map<String, Crl> byAlias = new ConcurrentHashMap<>();

    public void add(Crl crl) {
        byAlias.merge(crl.alias(), crl, (held, read) -> read.number().compareTo(held.number()) > 0 ? read : held);
    }

    public Optional<Crl> of(String alias) {
        return Optional.ofNullable(byAlias.get(alias));
    }
}
