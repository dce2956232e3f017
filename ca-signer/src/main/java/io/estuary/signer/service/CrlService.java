package io.estuary.signer.service;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.security.auth.x500.X500Principal;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.CrlPublished;
import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.ca.RevokedEntry;
import io.estuary.signer.config.SignerConfig;

/**
 * The CRL of each CA: the signer holds every revocation (read from the start of the revocation topic), and once it
 * has read the ones published before it started, signs and publishes each CA's CRL: at once, then within the debounce
 * time of every revocation (those in between go out together), and again at half the CRL's validity, well before its
 * nextUpdate. The CRL number is the thisUpdate in milliseconds, so it increases across restarts and signers without a
 * store of its own. A CRL that cannot be signed (the token is away) is tried again after the debounce time.
 */
@ApplicationScoped
public class CrlService {
    private static final Logger LOG = Logger.getLogger(CrlService.class);

    /** The CAs by alias; empty while the token is not available. */
    private final Supplier<Map<String, CertificateAuthority>> authorities;
    private final CrlPublisher publisher;
    private final Duration nextUpdate;
    private final Duration debounce;
    private final Clock clock;
    /** Revoked certificates by issuer (canonical name), then serial number. */
    private final Map<String, Map<BigInteger, RevokedEntry>> revoked = new ConcurrentHashMap<>();
    /** Issuers (canonical) whose CRL is waiting out the debounce time. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Map<String, BigInteger> lastNumbers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private volatile boolean caughtUp;

    @Inject
    public CrlService(SigningService signing, CrlPublisher publisher, SignerConfig config) {
        this(signing::authorities, publisher, config.crl().nextUpdate(), config.crl().debounce(), Clock.systemUTC());
    }

    CrlService(Supplier<Map<String, CertificateAuthority>> authorities, CrlPublisher publisher, Duration nextUpdate,
            Duration debounce, Clock clock) {
        if (nextUpdate.compareTo(Duration.ofMinutes(2)) < 0 || debounce.isNegative()) {
            throw new IllegalArgumentException("a CRL's nextUpdate must be at least PT2M and the debounce time "
                    + "not negative, got " + nextUpdate + " and " + debounce);
        }
        this.authorities = authorities;
        this.publisher = publisher;
        this.nextUpdate = nextUpdate;
        this.debounce = debounce;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "crl-publisher");
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    /** A revocation read from the topic; a repeat changes nothing. */
    public void revoked(CertificateRevoked revocation) {
        String issuer = canonical(revocation.issuer());
        RevokedEntry entry = new RevokedEntry(new BigInteger(revocation.serialNumber(), 16), revocation.revokedAt(),
                revocation.reason().code(), revocation.invalidityDate());
        if (revoked.computeIfAbsent(issuer, i -> new ConcurrentHashMap<>())
                .putIfAbsent(entry.serialNumber(), entry) == null && caughtUp) {
            schedule(issuer, debounce);
        }
    }

    /** The revocations published before the signer started are read: every CA's CRL goes out now, then regularly. */
    public void caughtUp() {
        if (caughtUp) {
            return;
        }
        caughtUp = true;
        long half = nextUpdate.toMillis() / 2;
        scheduler.scheduleAtFixedRate(this::publishAll, 0, half, TimeUnit.MILLISECONDS);
    }

    private void schedule(String issuer, Duration delay) {
        if (pending.add(issuer)) {
            scheduler.schedule(() -> {
                pending.remove(issuer);
                publishIssuer(issuer);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void publishAll() {
        Map<String, CertificateAuthority> loaded = authorities.get();
        if (loaded.isEmpty()) {
            LOG.warnf("CRLs not published: no CA is available; trying again in %s", debounce);
            scheduler.schedule(this::publishAll, Math.max(debounce.toMillis(), 1000), TimeUnit.MILLISECONDS);
            return;
        }
        loaded.forEach(this::publish);
    }

    private void publishIssuer(String issuer) {
        Map<String, CertificateAuthority> loaded = authorities.get();
        if (loaded.isEmpty()) {
            schedule(issuer, debounce.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : debounce);
            return;
        }
        loaded.forEach((alias, ca) -> {
            if (canonical(ca.certificate().getSubjectX500Principal()).equals(issuer)) {
                publish(alias, ca);
            }
        });
    }

    /** Signs and publishes the CRL of one CA; on the scheduler's thread only. */
    private void publish(String alias, CertificateAuthority ca) {
        String issuer = canonical(ca.certificate().getSubjectX500Principal());
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        BigInteger number = BigInteger.valueOf(clock.millis());
        BigInteger last = lastNumbers.get(alias);
        if (last != null && number.compareTo(last) <= 0) {
            number = last.add(BigInteger.ONE);
        }
        List<RevokedEntry> entries = new ArrayList<>(revoked.getOrDefault(issuer, Map.of()).values());
        try {
            long started = System.nanoTime();
            byte[] crl = ca.crl(entries, number, thisUpdate, thisUpdate.plus(nextUpdate));
            long millis = (System.nanoTime() - started) / 1_000_000;
            lastNumbers.put(alias, number);
            BigInteger published = number;
            publisher.publish(new CrlPublished(alias, ca.certificate().getSubjectX500Principal().getName(),
                    number.toString(), thisUpdate, thisUpdate.plus(nextUpdate), entries.size(),
                    Base64.getEncoder().encodeToString(crl)))
                    .whenComplete((ok, failure) -> {
                        if (failure == null) {
                            LOG.infof("published CRL %s of CA '%s': %d entries, %d bytes, signed in %d ms",
                                    published, alias, entries.size(), crl.length, millis);
                        } else {
                            LOG.errorf("could not publish CRL %s of CA '%s' (%s); trying again in %s", published,
                                    alias, failure.getMessage(), debounce);
                            schedule(issuer, debounce);
                        }
                    });
        } catch (RuntimeException e) {
            LOG.errorf("could not sign the CRL of CA '%s' (%s); trying again in %s", alias, e.getMessage(), debounce);
            schedule(issuer, debounce.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : debounce);
        }
    }

    /** RFC 2253 names that differ in case or spacing only are the same issuer. */
    static String canonical(String rfc2253) {
        return canonical(new X500Principal(rfc2253));
    }

    static String canonical(X500Principal name) {
        return name.getName(X500Principal.CANONICAL);
    }
}
