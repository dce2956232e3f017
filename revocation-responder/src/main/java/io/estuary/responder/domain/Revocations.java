package io.estuary.responder.domain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.x500.X500Principal;

/** Every revoked certificate, by issuer (compared as a name) and serial number; a revocation is final. */
public final class Revocations {
    /** When and why a certificate was revoked. */
    public record Revocation(Instant revokedAt, int reasonCode) {
    }

    private final Map<String, Revocation> byCertificate = new ConcurrentHashMap<>();

    /** @return whether it was new (the first revocation of a certificate stands) */
    public boolean add(String issuer, BigInteger serialNumber, Revocation revocation) {
        return byCertificate.putIfAbsent(key(IssuedSerials.canonical(issuer), serialNumber), revocation) == null;
    }

    public Optional<Revocation> of(X500Principal issuer, BigInteger serialNumber) {
        return Optional.ofNullable(byCertificate.get(key(issuer.getName(X500Principal.CANONICAL), serialNumber)));
    }

    public int size() {
        return byCertificate.size();
    }

    private static String key(String canonicalIssuer, BigInteger serialNumber) {
        return serialNumber.toString(16) + "@" + canonicalIssuer;
    }
}
