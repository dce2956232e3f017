package io.estuary.frontend.auth;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CRLReason;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.estuary.frontend.domain.ClientCertificateRefusedException;
import io.estuary.frontend.domain.ClientCertificateRefusedException.Refusal;
import io.estuary.frontend.domain.DefaultLabel;
import io.estuary.pki.policy.ProfilePolicies;

/**
 * Everything a TLS client certificate is checked for. The handshake accepts any certificate whose key the client
 * holds ({@link AnyClientCertificateTrustManager}), so that a refused certificate gets an HTTP answer with a reason
 * rather than a TLS alert; the checks are all here. In order:
 * <ol>
 * <li>trust: the chain the client sent leads, signature by signature, to one of Estuary's signing CAs or to a
 * bootstrap (manufacturer) CA; otherwise {@link Refusal#UNTRUSTED};</li>
 * <li>validity: every certificate of that path is valid now; otherwise {@link Refusal#OUTSIDE_VALIDITY} (the client
 * has to authenticate again, e.g. with its bootstrap certificate);</li>
 * <li>a bootstrap path whose certificate is on one of its label's manufacturer CRLs: {@link Refusal#REVOKED};</li>
 * <li>what it may do: on a label, a certificate from one of that label's bootstrap CAs enrolls (as an EST identity);
 * on any label, a certificate Estuary issued under the EST-identity profile (its certificate policy) enrolls;
 * {@code simplereenroll} renews any certificate Estuary issued. Otherwise {@link Refusal#NOT_ALLOWED}.</li>
 * </ol>
 * Plain Java, so it is unit-tested.
 */
public final class ClientCertificatePolicy {
    private final Map<String, Set<TrustAnchor>> bootstrapByLabel;
    private final Map<String, List<X509CRL>> bootstrapCrlsByLabel;
    private final String estIdentityProfile;
    private final Clock clock;

    /** How a certificate may enroll. */
    public enum Kind {
        /** A bootstrap (IDevID) certificate of the label: enrolls as an EST identity. */
        BOOTSTRAP,
        /** An EST identity Estuary issued: enrolls on any label under the label's profile. */
        EST_IDENTITY
    }

    /**
     * @param bootstrapByLabel     bootstrap CAs per label ({@code default} for the unlabelled path)
     * @param bootstrapCrlsByLabel the manufacturers' CRLs per label, their signatures already verified
     * @param estIdentityProfile   the profile whose certificates authenticate later requests
     * @param clock                the time validity is checked at
     */
    public ClientCertificatePolicy(Map<String, Set<TrustAnchor>> bootstrapByLabel,
            Map<String, List<X509CRL>> bootstrapCrlsByLabel, String estIdentityProfile, Clock clock) {
        this.bootstrapByLabel = new TreeMap<>(bootstrapByLabel);
        this.bootstrapCrlsByLabel = new TreeMap<>(bootstrapCrlsByLabel);
        this.estIdentityProfile = estIdentityProfile;
        this.clock = clock;
    }

    /**
     * How the certificate may enroll ({@code simpleenroll}, {@code serverkeygen}) on the label.
     *
     * @param chain          the client's chain as sent in the handshake, its own certificate first
     * @param label          the label ({@code ""} for none)
     * @param estuaryIssuers the certificates of the CAs Estuary signs with
     * @throws ClientCertificateRefusedException with the refusal and the reason
     */
    public Kind requireEnrollment(X509Certificate[] chain, String label, Collection<X509Certificate> estuaryIssuers) {
        X509Certificate client = chain[0];
        String key = DefaultLabel.nameOf(label);
        Verdict byEstuary = validate(chain, anchors(estuaryIssuers));
        if (byEstuary.status() == Status.TRUSTED) {
            if (ProfilePolicies.issuedUnder(client, estIdentityProfile)) {
                return Kind.EST_IDENTITY;
            }
            throw new ClientCertificateRefusedException(Refusal.NOT_ALLOWED, "client certificate " + describe(client)
                    + " was issued by Estuary but not as an EST identity (profile '" + estIdentityProfile
                    + "'): it may renew itself with simplereenroll, not enroll");
        }
        refuseIfOutsideValidity(byEstuary);
        Set<TrustAnchor> bootstrap = bootstrapByLabel.getOrDefault(key, Set.of());
        Verdict byBootstrap = validate(chain, bootstrap);
        if (byBootstrap.status() == Status.TRUSTED) {
            refuseIfOnManufacturerCrl(pathTowards(chain, bootstrap), bootstrapCrlsByLabel.getOrDefault(key, List.of()));
            return Kind.BOOTSTRAP;
        }
        refuseIfOutsideValidity(byBootstrap);
        for (Map.Entry<String, Set<TrustAnchor>> other : bootstrapByLabel.entrySet()) {
            if (!other.getKey().equals(key) && validate(chain, other.getValue()).status() != Status.UNTRUSTED) {
                throw new ClientCertificateRefusedException(Refusal.NOT_ALLOWED, "client certificate "
                        + describe(client) + " is a bootstrap certificate of label '" + other.getKey()
                        + "', not of label '" + key + "'");
            }
        }
        throw new ClientCertificateRefusedException(Refusal.UNTRUSTED, "client certificate " + describe(client)
                + " issued by '" + client.getIssuerX500Principal().getName()
                + "' is not from a CA Estuary trusts here: neither issued by Estuary nor from a bootstrap CA of label '"
                + key + "'" + detail(byEstuary, byBootstrap));
    }

    /**
     * The certificate {@code simplereenroll} renews: one Estuary issued, valid now.
     *
     * @param chain          the client's chain as sent in the handshake, its own certificate first
     * @param estuaryIssuers the certificates of the CAs Estuary signs with
     * @return the client's certificate
     * @throws ClientCertificateRefusedException with the refusal and the reason
     */
    public X509Certificate requireIssuedByEstuary(X509Certificate[] chain, Collection<X509Certificate> estuaryIssuers) {
        X509Certificate client = chain[0];
        Verdict byEstuary = validate(chain, anchors(estuaryIssuers));
        if (byEstuary.status() == Status.TRUSTED) {
            return client;
        }
        if (byEstuary.status() == Status.OUTSIDE_VALIDITY) {
            throw new ClientCertificateRefusedException(Refusal.OUTSIDE_VALIDITY, byEstuary.detail()
                    + "; an expired certificate cannot be renewed: enroll again with simpleenroll");
        }
        throw new ClientCertificateRefusedException(Refusal.UNTRUSTED, "simplereenroll renews certificates Estuary "
                + "issued; client certificate " + describe(client) + " issued by '"
                + client.getIssuerX500Principal().getName() + "' is not one" + detail(byEstuary));
    }

    /** Every certificate of the trusted bootstrap path is looked up in the CRLs of its issuer. */
    private static void refuseIfOnManufacturerCrl(List<X509Certificate> path, List<X509CRL> crls) {
        for (X509Certificate certificate : path) {
            for (X509CRL crl : crls) {
                if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
                    continue;
                }
                X509CRLEntry entry = crl.getRevokedCertificate(certificate);
                if (entry != null) {
                    String reason = entry.getRevocationReason() == null ? ""
                            : ": " + rfcName(entry.getRevocationReason());
                    throw new ClientCertificateRefusedException(Refusal.REVOKED, (certificate == path.get(0)
                            ? "client certificate " : "certificate of the client's chain ") + describe(certificate)
                            + " (serial " + certificate.getSerialNumber().toString(16) + ") is revoked by its "
                            + "manufacturer's CRL of '" + crl.getIssuerX500Principal().getName() + "' since "
                            + entry.getRevocationDate().toInstant() + reason);
                }
            }
        }
    }

    /** RFC 5280's name of a reason. */
    private static String rfcName(CRLReason reason) {
        return switch (reason) {
            case UNSPECIFIED -> "unspecified";
            case KEY_COMPROMISE -> "keyCompromise";
            case CA_COMPROMISE -> "cACompromise";
            case AFFILIATION_CHANGED -> "affiliationChanged";
            case SUPERSEDED -> "superseded";
            case CESSATION_OF_OPERATION -> "cessationOfOperation";
            case CERTIFICATE_HOLD -> "certificateHold";
            case UNUSED -> "unused";
            case REMOVE_FROM_CRL -> "removeFromCRL";
            case PRIVILEGE_WITHDRAWN -> "privilegeWithdrawn";
            case AA_COMPROMISE -> "aACompromise";
        };
    }

    private enum Status {
        TRUSTED, OUTSIDE_VALIDITY, UNTRUSTED
    }

    /** Whether a chain leads to the anchors, and if not, why ({@code detail} may be null). */
    private record Verdict(Status status, String detail) {
    }

    private static void refuseIfOutsideValidity(Verdict verdict) {
        if (verdict.status() == Status.OUTSIDE_VALIDITY) {
            throw new ClientCertificateRefusedException(Refusal.OUTSIDE_VALIDITY, verdict.detail());
        }
    }

    /**
     * PKIX validation at the current time of the path from the client's certificate up to one of the anchors, built
     * from the certificates the client sent. Signatures are checked before validity dates, so a forged certificate
     * that also expired is untrusted, not expired.
     */
    private Verdict validate(X509Certificate[] chain, Set<TrustAnchor> anchors) {
        if (anchors.isEmpty()) {
            return new Verdict(Status.UNTRUSTED, null);
        }
        List<X509Certificate> path = pathTowards(chain, anchors);
        if (path == null) {
            return new Verdict(Status.UNTRUSTED, null);
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return new Verdict(Status.TRUSTED, null);
        } catch (CertPathValidatorException e) {
            X509Certificate failed = e.getIndex() >= 0 && e.getIndex() < path.size() ? path.get(e.getIndex())
                    : path.get(0);
            String which = failed == chain[0] ? "client certificate " + describe(failed)
                    : "certificate " + describe(failed) + " of the client's chain";
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return new Verdict(Status.OUTSIDE_VALIDITY, which + " expired at " + failed.getNotAfter().toInstant());
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return new Verdict(Status.OUTSIDE_VALIDITY,
                        which + " is not valid before " + failed.getNotBefore().toInstant());
            }
            return new Verdict(Status.UNTRUSTED, which + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return new Verdict(Status.UNTRUSTED, e.getMessage());
        }
    }

    /**
     * The client's certificate, then whichever certificates it sent that issued it, up to (not including) the first
     * whose issuer is an anchor; null if the names never reach an anchor. Signatures are checked by the validation.
     */
    static List<X509Certificate> pathTowards(X509Certificate[] chain, Set<TrustAnchor> anchors) {
        Set<javax.security.auth.x500.X500Principal> anchorNames = new HashSet<>();
        anchors.forEach(a -> anchorNames.add(a.getTrustedCert().getSubjectX500Principal()));
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = chain[0];
        path.add(current);
        while (!anchorNames.contains(current.getIssuerX500Principal())) {
            X509Certificate issuer = null;
            for (X509Certificate candidate : chain) {
                if (!path.contains(candidate)
                        && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                return null;
            }
            path.add(issuer);
            current = issuer;
        }
        return path;
    }

    private static Set<TrustAnchor> anchors(Collection<X509Certificate> certificates) {
        Set<TrustAnchor> anchors = new HashSet<>();
        certificates.forEach(c -> anchors.add(new TrustAnchor(c, null)));
        return anchors;
    }

    private static String describe(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "'";
    }

    private static String detail(Verdict... verdicts) {
        for (Verdict verdict : verdicts) {
            if (verdict.detail() != null) {
                return " (" + verdict.detail() + ")";
            }
        }
        return "";
    }
}
