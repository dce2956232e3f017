package io.estuary.responder.service;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.security.auth.x500.X500Principal;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.pki.ca.TokenCas;
import io.estuary.pki.ocsp.OcspQuery;
import io.estuary.pki.ocsp.OcspRefusal;
import io.estuary.pki.ocsp.OcspResponder;
import io.estuary.pki.ocsp.ResponderKey;
import io.estuary.pki.ocsp.SerialStatus;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.token.Pkcs11Token;
import io.estuary.responder.domain.IssuedSerials;
import io.estuary.responder.domain.Revocations;
import io.quarkus.runtime.Startup;

/**
 * Answers OCSP requests for the CAs the profiles name, signed with each CA's newest delegated responder key in the
 * token (read again regularly, so a rolled key is taken up without a restart). What it knows comes from Kafka: every
 * serial number issued and every revocation. A shareable answer (one certificate, no nonce) that is good or revoked is
 * kept signed until shortly before its nextUpdate; a revocation drops the certificate's kept answer at once.
 */
@ApplicationScoped
@Startup
public class OcspService {
    private static final Logger LOG = Logger.getLogger(OcspService.class);

    private record Cached(String hashAlgorithm, OcspResponder.Answer answer) {
    }

    private final ResponderConfig config;
    private final EstLabels labels;
    private final ResponderMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final IssuedSerials issued;
    private final Revocations revocations = new Revocations();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reloads;
    private volatile OcspResponder responder;
    private volatile String loadedAliases = "";
    private volatile String unavailableReason = "the token is not read yet";
    private volatile boolean caughtUp;

    @Inject
    public OcspService(ResponderConfig config, EstLabels labels, ResponderMetrics metrics) {
        this.config = config;
        this.labels = labels;
        this.metrics = metrics;
        this.issued = new IssuedSerials(config.ocsp().endedKept());
        load();
        long reload = config.ocsp().reload().toMillis();
        reloads = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ocsp-responder-reload");
            thread.setDaemon(true);
            return thread;
        });
        reloads.scheduleWithFixedDelay(this::load, reload, reload, TimeUnit.MILLISECONDS);
        reloads.scheduleWithFixedDelay(this::forgetEnded, 1, 1, TimeUnit.HOURS);
    }

    /** Forgets the serials of certificates that ended more than {@code ended-kept} ago. */
    private void forgetEnded() {
        long forgotten = issued.forgetEnded(clock.instant());
        if (forgotten > 0) {
            LOG.infof("%d serials of certificates that ended more than %s ago forgotten (%d known)", forgotten,
                    config.ocsp().endedKept(), issued.size());
        }
    }

    @PreDestroy
    void stop() {
        reloads.shutdownNow();
    }

    /** Reads each CA's newest responder key from the token; keeps the current ones if they are still the newest. */
    final synchronized boolean load() {
        try {
            Pkcs11Token token = config.hsm().open("estuary-ocsp");
            List<String> aliases = new ArrayList<>();
            for (String ca : new TreeSet<>(labels.profiles().values().stream().map(CertificateProfile::caAlias)
                    .toList())) {
                aliases.add(TokenCas.ocspResponderAlias(token, ca).orElseThrow(() -> new IllegalStateException(
                        "no OCSP responder key of CA '" + ca + "' in the token (deploy/estuary ocsp-responder "
                                + "--alias " + ca + " --out responder.pem issues one)")));
            }
            String names = String.join(",", aliases);
            if (responder != null && names.equals(loadedAliases)) {
                return true;
            }
            List<ResponderKey> keys = new ArrayList<>();
            for (String alias : aliases) {
                String ca = alias.substring(0, alias.lastIndexOf("-ocsp-"));
                keys.add(new ResponderKey(ca, TokenCas.ocspResponderCa(token, ca, alias), token.certificate(alias),
                        token.privateKey(alias), token.provider()));
                X509Certificate certificate = token.certificate(alias);
                LOG.infof("OCSP answers for CA '%s' are signed by '%s' (%s, until %s)", ca, alias,
                        certificate.getSubjectX500Principal(), certificate.getNotAfter().toInstant());
                metrics.responderNotAfter(ca, certificate.getNotAfter().toInstant().getEpochSecond());
            }
            responder = new OcspResponder(keys, config.ocsp().validity());
            loadedAliases = names;
            cache.clear(); // signed by the previous keys
            unavailableReason = null;
            return true;
        } catch (RuntimeException e) {
            unavailableReason = e.getMessage();
            LOG.errorf("OCSP responder keys not available: %s", e.getMessage());
            return false;
        }
    }

    /**
     * The DER OCSPResponse to a DER OCSPRequest.
     *
     * @throws OcspRefusal for a request not answered with statuses: malformed, of another CA, or while the responder
     *                     cannot answer (its key is not available, or it has not read what was issued and revoked)
     */
    public byte[] answer(byte[] request) {
        OcspResponder current = responder;
        if (current == null && load()) {
            current = responder;
        }
        if (current == null) {
            throw new OcspRefusal(OcspRefusal.Status.TRY_LATER, "no responder key: " + unavailableReason);
        }
        OcspQuery query = current.parse(request);
        if (!caughtUp) {
            throw new OcspRefusal(OcspRefusal.Status.TRY_LATER, "the issued and revoked certificates are not read yet");
        }
        Instant now = clock.instant();
        X500Principal issuer = query.responder().ca().getSubjectX500Principal();
        if (!query.shareable()) {
            return sign(current, query, id -> status(issuer, id.getSerialNumber()), now).der();
        }
        byte[] kept = kept(query, now);
        if (kept != null) {
            return kept;
        }
        String key = query.cacheKey();
        BigInteger serial = query.serialNumbers().get(0);
        SerialStatus status = status(issuer, serial);
        OcspResponder.Answer answer = sign(current, query, id -> status, now);
        if (!(status instanceof SerialStatus.Unknown) && cache.size() < config.ocsp().maxCached()) {
            cache.put(key, new Cached(query.hashAlgorithm(), answer));
            // A revocation read while this was signed may have dropped the key before it was put: look again.
            if (status instanceof SerialStatus.Good && !(status(issuer, serial) instanceof SerialStatus.Good)) {
                cache.remove(key);
            }
        }
        return answer.der();
    }

    /**
     * The answer to a request when it is kept signed and fresh, else null (nothing is signed, the token is not touched:
     * cheap enough for an I/O thread).
     *
     * @throws OcspRefusal for a malformed request or one of another CA
     */
    public byte[] kept(byte[] request) {
        OcspResponder current = responder;
        if (current == null || !caughtUp) {
            return null;
        }
        OcspQuery query = current.parse(request);
        return query.shareable() ? kept(query, clock.instant()) : null;
    }

    private byte[] kept(OcspQuery query, Instant now) {
        Cached cached = cache.get(query.cacheKey());
        if (cached != null && cached.hashAlgorithm().equals(query.hashAlgorithm())
                && now.isBefore(cached.answer().nextUpdate().minus(config.ocsp().refreshBefore()))) {
            return cached.answer().der();
        }
        return null;
    }

    private OcspResponder.Answer sign(OcspResponder current, OcspQuery query,
            java.util.function.Function<org.bouncycastle.cert.ocsp.CertificateID, SerialStatus> statuses, Instant now) {
        try {
            return current.answer(query, statuses, now);
        } catch (io.estuary.pki.token.TokenUnavailableException e) {
            LOG.errorf("cannot sign an OCSP answer: %s", e.getMessage());
            synchronized (this) {
                responder = null; // read the token again at the next request
                unavailableReason = e.getMessage();
            }
            throw new OcspRefusal(OcspRefusal.Status.TRY_LATER, e.getMessage(), e);
        }
    }

    private SerialStatus status(X500Principal issuer, BigInteger serial) {
        var revoked = revocations.of(issuer, serial);
        if (revoked.isPresent()) {
            return new SerialStatus.Revoked(revoked.get().revokedAt(), revoked.get().reasonCode());
        }
        return issued.contains(issuer, serial) ? SerialStatus.GOOD : SerialStatus.UNKNOWN;
    }

    /**
     * A certificate was issued (read from the issuance results); one that ended more than {@code ended-kept} ago is
     * not kept.
     */
    public void issued(String issuer, BigInteger serialNumber, Instant notAfter) {
        issued.add(issuer, serialNumber, notAfter, clock.instant());
    }

    /** A certificate was revoked (read from the revocation topic): its kept answer is dropped at once. */
    public void revoked(String issuer, BigInteger serialNumber, Instant revokedAt, int reasonCode) {
        if (!revocations.add(issuer, serialNumber, new Revocations.Revocation(revokedAt, reasonCode))) {
            return;
        }
        X500Principal name = new X500Principal(issuer);
        OcspResponder current = responder;
        if (current != null) {
            for (ResponderKey key : current.keys()) {
                if (key.ca().getSubjectX500Principal().equals(name)) {
                    cache.remove(OcspQuery.cacheKey(key.alias(), serialNumber));
                }
            }
        }
        if (caughtUp) {
            LOG.infof("certificate %s of '%s' revoked", serialNumber.toString(16), issuer);
        }
    }

    /** What was issued and revoked before the responder started is read: it may answer. */
    public void caughtUp() {
        if (!caughtUp) {
            caughtUp = true;
            LOG.infof("%d issued certificates known, %d revoked", issued.size(), revocations.size());
        }
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Null when every CA's responder key is usable, else why not. */
    public String unavailableReason() {
        return unavailableReason;
    }
}
