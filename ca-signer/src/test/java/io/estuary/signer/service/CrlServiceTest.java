package io.estuary.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.CrlPublished;
import io.estuary.contracts.RevocationReason;
import io.estuary.pki.ca.CertificateAuthority;

/** The signer's CRLs: none before the revocations are read, then each CA's at once and after every revocation. */
class CrlServiceTest {
    private final List<CrlPublished> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CertificateAuthority ca = softwareCa("CN=Estuary Device CA,O=Estuary");
    private final CertificateAuthority other = softwareCa("CN=Other CA");

    private static CertificateAuthority softwareCa(String subject) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair key = generator.generateKeyPair();
            return new CertificateAuthority(List.of(CertificateAuthority.selfSignedRoot(new X500Name(subject),
                    key.getPublic(), key.getPrivate(), java.security.Security.getProvider("SunEC"),
                    Duration.ofDays(365), Instant.now())), key.getPrivate(), java.security.Security.getProvider("SunEC"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private CrlService service() {
        return new CrlService(() -> Map.of("estuary-ca", ca, "other", other), crl -> {
            published.add(crl);
            return CompletableFuture.completedFuture(null);
        }, Duration.ofHours(24), Duration.ofMillis(200), Clock.systemUTC());
    }

    private static CertificateRevoked revocation(String issuer, String serial, RevocationReason reason) {
        return new CertificateRevoked(issuer, serial, "device-" + serial, reason, null, Instant.parse(
                "2026-12-01T10:00:00Z"), "estuary-operator");
    }

    /** The first CRL of a CA that the predicate accepts, once published; generous, as the machine may be busy. */
    private CrlPublished next(String alias, Predicate<X509CRL> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (CrlPublished crl : published) {
                if (crl.alias().equals(alias) && wanted.test(parse(crl))) {
                    return crl;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such CRL of " + alias);
    }

    private static X509CRL parse(CrlPublished published) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(
                    Base64.getDecoder().decode(published.crl())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachCasCrlGoesOutOnceCaughtUpAndAgainAfterEachRevocation() throws Exception {
        CrlService service = service();
        try {
            // Read before the signer caught up: in the first CRL, matched by name (case and spacing aside).
            String issuer = ca.certificate().getSubjectX500Principal().getName(); // RFC 2253, as issuance results say
            service.revoked(revocation(issuer.toLowerCase().replace(",", ", "), "abc",
                    RevocationReason.KEY_COMPROMISE));
            assertTrue(published.isEmpty(), "nothing before the revocations published earlier are read");
            service.caughtUp();

            CrlPublished first = next("estuary-ca", crl -> true);
            X509CRL crl = parse(first);
            crl.verify(ca.certificate().getPublicKey());
            assertEquals(1, first.entries());
            assertNotNull(crl.getRevokedCertificate(new BigInteger("abc", 16)));
            assertEquals(Instant.parse("2026-12-01T10:00:00Z"), crl.getRevokedCertificate(new BigInteger("abc", 16))
                    .getRevocationDate().toInstant());
            assertEquals(Duration.ofHours(24), Duration.between(first.thisUpdate(), first.nextUpdate()));
            assertEquals(0, parse(next("other", c -> true)).getRevokedCertificates() == null ? 0 : 1,
                    "the other CA's CRL lists nothing");

            service.revoked(revocation(issuer, "def", RevocationReason.SUPERSEDED));
            CrlPublished second = next("estuary-ca", c -> c.getRevokedCertificate(new BigInteger("def", 16)) != null);
            assertEquals(2, second.entries());
            assertTrue(new BigInteger(second.crlNumber()).compareTo(new BigInteger(first.crlNumber())) > 0,
                    "a newer CRL has a greater number");
        } finally {
            service.stop();
        }
    }
}
