package io.estuary.frontend.rest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.estuary.frontend.domain.DefaultLabel;
import io.estuary.frontend.domain.HeldChain;
import io.estuary.frontend.service.CaChainSource;
import io.estuary.operatorauth.OperatorRoles;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;
import io.quarkus.oidc.BearerTokenAuthentication;

/**
 * CA information for operators and auditors, outside the EST paths: every CA chain this frontend holds (as the signer
 * published it) and the profiles and labels issuing under each. Bearer token only, with the auditor or operator role;
 * the EST paths keep HTTP Basic and client certificates.
 */
@Path("/api/cas")
@Produces(MediaType.APPLICATION_JSON)
@BearerTokenAuthentication
@RolesAllowed({ OperatorRoles.AUDITOR, OperatorRoles.OPERATOR })
public class CaInformationResource {
    @Inject
    CaChainSource caChains;
    @Inject
    EstLabels labels;

    /**
     * A CA: its own certificate's fields, who issues under it, and the whole chain.
     *
     * @param labels the EST labels whose profile names this CA ({@code default} for the unlabelled path)
     * @param chain  the CA's certificate first, then its issuers
     */
    public record CaView(String alias, String subject, String issuer, String serialNumber, Instant notBefore,
            Instant notAfter, List<String> profiles, List<String> labels, Instant publishedAt,
            List<CertificateView> chain) {
    }

    /** @param serialNumber lower-case hex, as the audit trail and the renewal API show serial numbers */
    public record CertificateView(String subject, String issuer, String serialNumber, Instant notBefore,
            Instant notAfter, String sha256Fingerprint) {
        static CertificateView of(X509Certificate certificate) {
            return new CertificateView(certificate.getSubjectX500Principal().getName(),
                    certificate.getIssuerX500Principal().getName(), certificate.getSerialNumber().toString(16),
                    certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                    fingerprint(certificate));
        }
    }

    /** Every CA chain held, by alias. */
    @GET
    public List<CaView> list() {
        return caChains.chains().values().stream().sorted(Comparator.comparing(HeldChain::alias))
                .map(this::view).toList();
    }

    private CaView view(HeldChain held) {
        CertificateView ca = CertificateView.of(held.chain().get(0));
        List<String> profiles = labels.profiles().values().stream()
                .filter(profile -> profile.caAlias().equals(held.alias())).map(CertificateProfile::name).sorted()
                .toList();
        List<String> labelsUsing = new java.util.ArrayList<>();
        if (labels.profileFor("").map(p -> p.caAlias().equals(held.alias())).orElse(false)) {
            labelsUsing.add(DefaultLabel.NAME);
        }
        labels.labels().entrySet().stream().filter(label -> profiles.contains(label.getValue()))
                .map(Map.Entry::getKey).sorted().forEach(labelsUsing::add);
        return new CaView(held.alias(), ca.subject(), ca.issuer(), ca.serialNumber(), ca.notBefore(), ca.notAfter(),
                profiles, List.copyOf(labelsUsing), held.publishedAt(),
                held.chain().stream().map(CertificateView::of).toList());
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }
}
