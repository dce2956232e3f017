package io.estuary.frontend.auth;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.estuary.pki.ProfilePolicies;

/**
 * Who may enroll with a TLS client certificate (the handshake has already checked its chain and validity against
 * every CA the listener trusts): on a label, a certificate from one of that label's bootstrap (manufacturer) CAs; on
 * any label, a certificate Estuary issued under the EST-identity profile. Plain Java, so it is unit-tested.
 */
public final class ClientCertificatePolicy {
    private final Map<String, Set<TrustAnchor>> bootstrapByLabel;
    private final String estIdentityProfile;

    /**
     * @param bootstrapByLabel   bootstrap CAs per label ({@code default} for the unlabelled path)
     * @param estIdentityProfile the profile whose certificates authenticate later requests
     */
    public ClientCertificatePolicy(Map<String, Set<TrustAnchor>> bootstrapByLabel, String estIdentityProfile) {
        this.bootstrapByLabel = Map.copyOf(bootstrapByLabel);
        this.estIdentityProfile = estIdentityProfile;
    }

    /** How a certificate may enroll: as a bootstrap certificate, as an EST identity, or not at all (with why). */
    public record Decision(boolean bootstrap, boolean estIdentity, Optional<String> refusal) {
    }

    /**
     * Whether the certificate may enroll on the label.
     *
     * @param chain          the client's chain, its own certificate first
     * @param label          the label ({@code ""} for none)
     * @param estuaryIssuers the certificates of the CAs Estuary signs with
     */
    public Decision decide(X509Certificate[] chain, String label, Collection<X509Certificate> estuaryIssuers) {
        X509Certificate client = chain[0];
        String key = label.isEmpty() ? LabelAuthorization.DEFAULT_LABEL : label;
        Set<TrustAnchor> bootstrap = bootstrapByLabel.getOrDefault(key, Set.of());
        if (ProfilePolicies.issuedUnder(client, estIdentityProfile) && signedByOneOf(client, estuaryIssuers)) {
            return new Decision(false, true, Optional.empty());
        }
        if (!bootstrap.isEmpty() && validates(chain, bootstrap)) {
            return new Decision(true, false, Optional.empty());
        }
        return new Decision(false, false, Optional.of("client certificate '"
                + client.getSubjectX500Principal().getName() + "' (issued by '"
                + client.getIssuerX500Principal().getName() + "') is neither from a bootstrap CA of label '" + key
                + "' nor an Estuary EST identity"));
    }

    private static boolean validates(X509Certificate[] chain, Set<TrustAnchor> anchors) {
        try {
            List<X509Certificate> path = Arrays.stream(chain)
                    .filter(c -> anchors.stream().noneMatch(a -> a.getTrustedCert().equals(c))).toList();
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean signedByOneOf(X509Certificate certificate, Collection<X509Certificate> issuers) {
        for (X509Certificate issuer : issuers) {
            try {
                certificate.verify(issuer.getPublicKey());
                certificate.checkValidity();
                return true;
            } catch (GeneralSecurityException e) {
                // not this issuer
            }
        }
        return false;
    }
}
