package io.estuary.profiles;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.bouncycastle.asn1.x500.X500Name;

import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;

/** Builds the checked {@link EstLabels} from configuration; a mistake stops the service at start with the reason. */
@ApplicationScoped
public class EstLabelsProducer {

    @Produces
    @Singleton
    EstLabels estLabels(IssuanceConfig config) {
        return from(config);
    }

    public static EstLabels from(IssuanceConfig config) {
        Map<String, CertificateProfile> profiles = new HashMap<>();
        config.profiles().forEach((name, p) -> {
            try {
                profiles.put(name, new CertificateProfile(name, p.ca(), p.validity(), p.minRsaBits(),
                        new HashSet<>(without("none", p.curves())),
                        without("none", p.extendedKeyUsages()).stream().map(CertificateProfile::extendedKeyUsage)
                                .toList(),
                        p.allowCa(), p.subject().map(X500Name::new), p.commonName(), p.copySubjectAltName(),
                        p.csrAttributes(), p.crlUrl(), p.caIssuersUrl(), p.ocspUrl(), p.allowKeyReuse(),
                        p.allowWildcard(), p.signatureAlgorithms()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("estuary.issuance.profiles." + name + ": " + e.getMessage(), e);
            }
        });
        try {
            return new EstLabels(profiles, config.labels(), config.defaultProfile());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("estuary.issuance: " + e.getMessage(), e);
        }
    }

    private static List<String> without(String none, List<String> values) {
        return values.stream().filter(v -> !v.equals(none)).toList();
    }
}
