package io.estuary.signer.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.pki.Base64Body;
import io.estuary.pki.CertificateAuthority;
import io.estuary.pki.CertificationRequest;
import io.estuary.pki.DeviceCertificateProfile;
import io.estuary.pki.InvalidCsrException;
import io.estuary.pki.IssuedCertificate;
import io.estuary.pki.MalformedRequestException;
import io.estuary.pki.Pkcs11Token;
import io.estuary.signer.config.SignerConfig;
import io.quarkus.runtime.Startup;

/** Turns a CSR event into an issuance or a rejection, signing with the CA key held in the token. */
@ApplicationScoped
@Startup
public class SigningService {
    private static final Logger LOG = Logger.getLogger(SigningService.class);

    private final SignerConfig config;
    private final Clock clock;
    private volatile CertificateAuthority authority;
    private volatile String unavailableReason = "not yet connected to the token";

    @Inject
    public SigningService(SignerConfig config) {
        this.config = config;
        this.clock = Clock.systemUTC();
        connect();
    }

    /** Logs in to the token and loads the CA; on failure the service stays up, not ready, and retries on use. */
    public final synchronized CertificateAuthority connect() {
        if (authority != null) {
            return authority;
        }
        char[] pin = null;
        try {
            pin = Pkcs11Token.pinFromEnvironment(config.hsm().pinVariable());
            Pkcs11Token token = Pkcs11Token.open(
                    new Pkcs11Token.Settings("estuary", config.hsm().library(), config.hsm().slotListIndex()), pin);
            authority = token.certificateAuthority(config.caAlias());
            unavailableReason = null;
            LOG.infof("CA '%s' loaded from the token: %s", config.caAlias(),
                    authority.certificate().getSubjectX500Principal());
        } catch (RuntimeException e) {
            unavailableReason = e.getMessage();
            LOG.errorf("CA not available: %s", e.getMessage());
        } finally {
            if (pin != null) {
                Arrays.fill(pin, '\0');
            }
        }
        return authority;
    }

    /** Null when the CA is usable, else why not. */
    public String unavailableReason() {
        return unavailableReason;
    }

    public IssuanceResult sign(CsrSubmitted request) {
        Instant now = clock.instant();
        CertificateAuthority ca = connect();
        if (ca == null) {
            // Throwing keeps the request on the topic for a retry instead of rejecting a valid CSR.
            throw new IllegalStateException("CA not available: " + unavailableReason);
        }
        CertificationRequest csr;
        try {
            csr = CertificationRequest.fromDer(Base64Body.decode(request.csr()));
        } catch (MalformedRequestException | InvalidCsrException e) {
            return IssuanceResult.rejected(request, e.getMessage(), now);
        }
        IssuedCertificate issued;
        try {
            issued = ca.issue(csr, new DeviceCertificateProfile(config.validity()), now);
        } catch (InvalidCsrException e) {
            return IssuanceResult.rejected(request, e.getMessage(), now);
        } catch (IllegalStateException e) {
            // A token failure (removed, logged out, device error): reconnect before the next attempt.
            synchronized (this) {
                authority = null;
                unavailableReason = e.getMessage();
            }
            throw e;
        }
        var certificate = issued.certificate();
        return new IssuanceResult(request.requestId(), request.requester(), request.label(),
                IssuanceResult.Outcome.ISSUED, null, issued.deviceId(), issued.subject(), issued.serialNumberHex(),
                issued.issuer(), certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                Base64Body.compact(issued.encoded()), now);
    }
}
