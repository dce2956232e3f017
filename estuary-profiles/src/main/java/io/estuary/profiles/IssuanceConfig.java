package io.estuary.profiles;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.estuary.pki.policy.CertificateProfile;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Labels and profiles, as configured; the shipped defaults are in this module's microprofile-config.properties. */
@ConfigMapping(prefix = "estuary.issuance")
public interface IssuanceConfig {

    /** The profile for requests under {@code /.well-known/est/} without a label. */
    String defaultProfile();

    /** Label to profile name. */
    Map<String, String> labels();

    Map<String, Profile> profiles();

    interface Profile {
        /** Alias of the signing CA in the token. */
        @WithDefault("${ESTUARY_CA_ALIAS:estuary-ca}")
        String ca();

        @WithDefault("P30D")
        Duration validity();

        /** Smallest RSA modulus accepted; 0 refuses RSA. */
        @WithDefault("2048")
        int minRsaBits();

        /** Accepted curves; {@code none} refuses EC. */
        @WithDefault("P-256,P-384")
        List<String> curves();

        /** EKU names, or {@code none}. */
        @WithDefault("clientAuth")
        List<String> extendedKeyUsages();

        @WithDefault("false")
        boolean allowCa();

        /** A fixed subject (RFC 4514) replacing the CSR's. */
        Optional<String> subject();

        /** A fixed common name replacing the CSR's subject. */
        Optional<String> commonName();

        @WithDefault("true")
        boolean copySubjectAltName();

        @WithDefault("true")
        boolean csrAttributes();

        /** CRL distribution point URL for issued certificates. */
        Optional<String> crlUrl();

        /** AIA caIssuers URL for issued certificates. */
        Optional<String> caIssuersUrl();

        /** AIA OCSP URL for issued certificates. */
        Optional<String> ocspUrl();

        /** Whether simplereenroll may keep the same key. */
        @WithDefault("true")
        boolean allowKeyReuse();

        /** Whether a subjectAltName dNSName may be a wildcard ({@code *.example.com}). */
        @WithDefault("false")
        boolean allowWildcard();

        /** Accepted CSR signature algorithms (JCA names), as listed in {@code /csrattrs}. */
        @WithDefault(CertificateProfile.DEFAULT_SIGNATURE_ALGORITHM_NAMES)
        List<String> signatureAlgorithms();
    }
}
