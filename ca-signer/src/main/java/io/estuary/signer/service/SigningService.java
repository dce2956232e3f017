package io.estuary.signer.service;

import java.time.Clock;
import java.time.Instant;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.ca.IssuedCertificate;
import io.estuary.pki.ca.KeyTransport;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.policy.InvalidCsrException;
import io.estuary.pki.token.Pkcs11Token;
import io.estuary.pki.token.TokenUnavailableException;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.MalformedRequestException;
import io.estuary.signer.config.SignerConfig;
import io.quarkus.runtime.Startup;

/**
 * Turns a CSR event into an issuance or a rejection, under the profile of the request's label, signing with the
 * profile's CA key held in the token.
 */
@ApplicationScoped
@Startup
public class SigningService {
    private static final Logger LOG = Logger.getLogger(SigningService.class);

    private final SignerConfig config;
    private final EstLabels labels;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, CertificateAuthority> authorities = new ConcurrentHashMap<>();
    private volatile Pkcs11Token token;
    private volatile String unavailableReason = "not yet connected to the token";

    private final CaChainPublisher chainPublisher;
    private final SignerMetrics metrics;

    @Inject
    public SigningService(SignerConfig config, EstLabels labels, CaChainPublisher chainPublisher,
            SignerMetrics metrics) {
        this.config = config;
        this.labels = labels;
        this.chainPublisher = chainPublisher;
        this.metrics = metrics;
        metrics.tokenAvailability(() -> token != null && unavailableReason == null);
        LOG.infof("CSR signatures are checked by %s", CertificationRequest.signatureCheckedBy());
        connect();
    }

    /**
     * Logs in to the token and loads every CA the profiles name; on failure the service stays up, not ready, and
     * retries on the next use or readiness check.
     */
    public final boolean connect() {
        // Volatile reads: signing threads do not queue on the lock while the token is up.
        if (token != null && unavailableReason == null) {
            return true;
        }
        synchronized (this) {
            return connectLocked();
        }
    }

    private boolean connectLocked() {
        if (token != null && unavailableReason == null) {
            return true;
        }
        try {
            Pkcs11Token opened = config.hsm().open("estuary");
            for (String alias : new TreeSet<>(labels.profiles().values().stream().map(CertificateProfile::caAlias)
                    .toList())) {
                CertificateAuthority ca = CertificateAuthority.inToken(opened, alias);
                authorities.put(alias, ca);
                metrics.caNotAfter(alias, ca.certificate().getNotAfter().toInstant().getEpochSecond());
                LOG.infof("CA '%s' loaded from the token: %s", alias, ca.certificate().getSubjectX500Principal());
            }
            token = opened;
            unavailableReason = null;
            chainPublisher.publish(Map.copyOf(authorities));
            return true;
        } catch (RuntimeException e) {
            unavailableReason = e.getMessage();
            LOG.errorf("CA not available: %s", e.getMessage());
            return false;
        }
    }

    /** The CAs by alias, once the token is connected; empty while it is not. */
    public Map<String, CertificateAuthority> authorities() {
        return connect() ? Map.copyOf(authorities) : Map.of();
    }

    /** Null when every CA is usable, else why not. */
    public String unavailableReason() {
        return unavailableReason;
    }

    /**
     * Decides one request. Throws {@link TokenUnavailableException} when the token cannot be used, so the caller
     * waits for it instead of rejecting a valid request; any other exception is a fault on this request, which the
     * same request meets again.
     */
    public IssuanceResult sign(CsrSubmitted request) {
        Instant now = clock.instant();
        if (!connect()) {
            throw new TokenUnavailableException("CA not available: " + unavailableReason);
        }
        CertificateProfile profile = labels.profileFor(request.label()).orElse(null);
        if (profile == null) {
            return IssuanceResult.rejected(request, "unknown label '" + request.label() + "'", now);
        }
        CertificateAuthority ca = authorities.get(profile.caAlias());
        IssuedCertificate issued;
        String sealedKey = null;
        try {
            byte[] der = Base64Body.decode(request.csr());
            CertificationRequest csr = config.verifyProofOfPossession() ? CertificationRequest.fromDer(der)
                    : CertificationRequest.fromDerUnverified(der);
            if (request.serverKeyGeneration()) {
                var transportKey = KeyTransport.publicKey(Base64Body.decode(request.keyTransportKey()));
                KeyPair generated = generateFor(profile);
                issued = metrics.timeSigning(() -> ca.issue(csr.forGeneratedKey(generated), profile, now));
                byte[] pkcs8 = generated.getPrivate().getEncoded();
                try {
                    sealedKey = Base64Body.compact(KeyTransport.seal(pkcs8, transportKey));
                } finally {
                    Arrays.fill(pkcs8, (byte) 0);
                }
            } else {
                issued = metrics.timeSigning(() -> ca.issue(csr, profile, now));
            }
        } catch (MalformedRequestException | InvalidCsrException e) {
            return IssuanceResult.rejected(request, e.getMessage(), now);
        } catch (TokenUnavailableException e) {
            // A token failure (removed, logged out, device error): reconnect before the next attempt.
            synchronized (this) {
                unavailableReason = e.getMessage();
            }
            throw e;
        }
        metrics.signed(profile.caAlias(), profile.name());
        return new IssuanceResult(request.requestId(), request.requester(), request.label(),
                IssuanceResult.Outcome.ISSUED, null, issued.deviceId(), issued.subject(), issued.serialNumberHex(),
                issued.issuer(), issued.notBefore(), issued.notAfter(),
                Base64Body.compact(issued.encoded()), now, sealedKey);
    }

    /** The key a profile prefers for server-side generation: P-256, else P-384, else RSA of the minimum size. */
    static KeyPair generateFor(CertificateProfile profile) {
        try {
            KeyPairGenerator generator;
            if (profile.curves().contains("P-256") || profile.curves().contains("P-384")) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(profile.curves().contains("P-256") ? "secp256r1"
                        : "secp384r1"));
            } else {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(Math.max(2048, profile.minRsaBits()));
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key pair", e);
        }
    }
}
