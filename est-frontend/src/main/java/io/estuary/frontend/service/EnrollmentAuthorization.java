package io.estuary.frontend.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PostConstruct;

import org.jboss.logging.Logger;

import io.estuary.frontend.auth.ClientCertificatePolicy;
import io.estuary.frontend.auth.LabelAuthorization;
import io.estuary.frontend.config.AuthConfig;
import io.estuary.frontend.domain.ClientCertificateRefusedException;
import io.estuary.frontend.domain.ClientCertificateRefusedException.Refusal;
import io.estuary.frontend.domain.DefaultLabel;
import io.estuary.frontend.domain.EnrollmentUnavailableException;
import io.estuary.frontend.domain.LabelNotAllowedException;
import io.estuary.pki.policy.ReenrollmentRefusedException;
import io.quarkus.security.credential.CertificateCredential;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Decides whether an authenticated client may enroll on a label: a password credential by its roles, a TLS client
 * certificate by {@link ClientCertificatePolicy} (a client presenting a certificate is judged by it); and which
 * certificate a re-enrollment renews.
 */
@ApplicationScoped
public class EnrollmentAuthorization {
    private static final Logger LOG = Logger.getLogger(EnrollmentAuthorization.class);

    @Inject
    AuthConfig config;
    @Inject
    CaChainSource caChains;
    @Inject
    RevocationSource revocations;

    private ClientCertificatePolicy certificatePolicy;

    @PostConstruct
    void loadBootstrapCas() {
        Map<String, Set<TrustAnchor>> byLabel = new HashMap<>();
        Map<String, List<X509CRL>> crlsByLabel = new HashMap<>();
        config.bootstrapCaDir().filter(Files::isDirectory).ifPresent(dir -> {
            try (var labels = Files.list(dir)) {
                for (Path labelDir : labels.filter(Files::isDirectory).toList()) {
                    String label = labelDir.getFileName().toString();
                    Set<TrustAnchor> anchors = new HashSet<>();
                    List<X509CRL> crls = new ArrayList<>();
                    try (var files = Files.list(labelDir)) {
                        for (Path file : files.sorted().toList()) {
                            if (file.toString().endsWith(".pem")) {
                                try (InputStream in = Files.newInputStream(file)) {
                                    CertificateFactory.getInstance("X.509").generateCertificates(in)
                                            .forEach(c -> anchors.add(new TrustAnchor((X509Certificate) c, null)));
                                }
                            } else if (file.toString().endsWith(".crl")) {
                                try (InputStream in = Files.newInputStream(file)) {
                                    CertificateFactory.getInstance("X.509").generateCRLs(in)
                                            .forEach(crl -> crls.add((X509CRL) crl));
                                }
                            }
                        }
                    }
                    for (X509CRL crl : crls) {
                        requireSignedByOneOf(crl, anchors, labelDir);
                    }
                    if (!anchors.isEmpty()) {
                        byLabel.put(label, anchors);
                        crlsByLabel.put(label, crls);
                        LOG.infof("label '%s' trusts %d bootstrap CA certificate(s), with %d manufacturer CRL(s)",
                                label, anchors.size(), crls.size());
                    }
                }
            } catch (IOException | CertificateException | CRLException e) {
                throw new IllegalStateException("cannot read the bootstrap CAs in " + dir + ": " + e.getMessage(), e);
            }
        });
        certificatePolicy = new ClientCertificatePolicy(byLabel, crlsByLabel, config.estIdentityProfile(),
                Clock.systemUTC());
    }

    /** A CRL nobody in the folder signed would vouch for nothing: refusing to start says so at once. */
    private static void requireSignedByOneOf(X509CRL crl, Set<TrustAnchor> anchors, Path labelDir) {
        for (TrustAnchor anchor : anchors) {
            X509Certificate issuer = anchor.getTrustedCert();
            if (issuer.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(issuer.getPublicKey());
                    return;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the CRL of '" + crl.getIssuerX500Principal().getName() + "' in "
                            + labelDir + " is not signed by the CA certificate of that name: " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalStateException("the CRL of '" + crl.getIssuerX500Principal().getName() + "' in " + labelDir
                + " has no CA certificate of that name beside it: put its issuer's certificate (PEM) in the folder");
    }

    /**
     * Checks the client may enroll on the label and returns the label to enroll under: the label itself, except that
     * a bootstrap (IDevID) certificate is always enrolled as an EST identity — as aziot-certd expects, whose first
     * request with its bootstrap certificate asks for its EST identity at the URL of the certificate it wants.
     *
     * @param clientChain the TLS client certificate chain of the request, or null; a client presenting a certificate
     *                    is judged by it (the handshake accepted it unchecked), not by a password it also sends
     */
    public String requireLabel(SecurityIdentity identity, X509Certificate[] clientChain, String label) {
        X509Certificate[] chain = clientChain;
        CertificateCredential credential = identity.getCredential(CertificateCredential.class);
        if (chain == null && credential != null && credential.getCertificate() != null) {
            chain = new X509Certificate[] { credential.getCertificate() };
        }
        if (chain != null) {
            ClientCertificatePolicy.Kind kind = certificatePolicy.requireEnrollment(chain, label, estuaryIssuers());
            refuseIfRevoked(chain[0]);
            return kind == ClientCertificatePolicy.Kind.BOOTSTRAP ? config.bootstrapEnrollsAs() : label;
        }
        LabelAuthorization labels = new LabelAuthorization(config.labelRolePrefix());
        if (!labels.allows(identity.getRoles(), label)) {
            throw new LabelNotAllowedException("'" + identity.getPrincipal().getName() + "' may not enroll on label '"
                    + DefaultLabel.nameOf(label) + "' (needs role "
                    + labels.roleFor(label) + ")");
        }
        return label;
    }

    /**
     * The certificate a {@code simplereenroll} renews: the client's, which must be one Estuary issued and valid now.
     *
     * @param clientChain the TLS client certificate chain of the request, or null
     */
    public X509Certificate requireRenewable(X509Certificate[] clientChain) {
        if (clientChain == null || clientChain.length == 0) {
            throw new ReenrollmentRefusedException("simplereenroll needs the TLS client certificate being renewed");
        }
        X509Certificate renewed = certificatePolicy.requireIssuedByEstuary(clientChain, estuaryIssuers());
        refuseIfRevoked(renewed);
        return renewed;
    }

    /** Checked once the certificate is known to be trusted, so a forged one is refused as untrusted. */
    private void refuseIfRevoked(X509Certificate certificate) {
        revocations.revocationOf(certificate).ifPresent(revoked -> {
            throw new ClientCertificateRefusedException(Refusal.REVOKED, "client certificate "
                    + certificate.getSubjectX500Principal().getName() + " (serial " + revoked.serialNumber()
                    + ") was revoked at " + revoked.revokedAt() + ": " + revoked.reason().rfcName());
        });
    }

    /** Estuary's signing CAs; until the signer has published them no certificate can be judged (readiness waits). */
    private Collection<X509Certificate> estuaryIssuers() {
        Collection<X509Certificate> issuers = caChains.signingCertificates();
        if (issuers.isEmpty()) {
            throw new EnrollmentUnavailableException("the CA certificates are not known yet; retry later", null);
        }
        return issuers;
    }
}
