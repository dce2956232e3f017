package io.estuary.pki;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What may be issued on a label: which CA signs, which keys are acceptable, how long certificates live, their key
 * usages, whether a CA certificate may be issued, and how the subject is chosen.
 *
 * @param name               the profile's name, as configured
 * @param caAlias            the CA (its alias in the token) that signs
 * @param validity           how long an issued certificate is valid; never beyond the CA's own validity
 * @param minRsaBits         smallest RSA modulus accepted; 0 refuses RSA keys
 * @param curves             accepted EC curves, by NIST name ({@code P-256}, {@code P-384}); empty refuses EC keys
 * @param extendedKeyUsages  EKUs put in every certificate (may be empty)
 * @param allowCa            whether a CSR asking {@code CA:TRUE} is honoured (as {@code CA:TRUE, pathlen:0}); if
 *                           false such a CSR is refused, never silently downgraded
 * @param subject            a fixed subject replacing the CSR's, if present
 * @param commonName         a fixed common name replacing the CSR's subject, if present (ignored if subject is set)
 * @param copySubjectAltName whether the CSR's subjectAltName is copied
 * @param csrAttributes      whether {@code /csrattrs} advertises this profile's expectations (204 otherwise)
 * @param crlUrl             CRL distribution point put in issued certificates, if configured
 * @param caIssuersUrl       AIA caIssuers URL put in issued certificates, if configured
 * @param ocspUrl            AIA OCSP URL put in issued certificates, if configured
 * @param allowKeyReuse      whether {@code simplereenroll} may renew with the same key (else a new key is required)
 * @param requireChannelBinding whether a CSR must carry its TLS connection's channel binding in its challengePassword
 *                           (RFC 7030 §3.5, see {@link ProofOfPossessionLinking})
 */
public record CertificateProfile(String name, String caAlias, Duration validity, int minRsaBits, Set<String> curves,
        List<KeyPurposeId> extendedKeyUsages, boolean allowCa, Optional<X500Name> subject, Optional<String> commonName,
        boolean copySubjectAltName, boolean csrAttributes, Optional<String> crlUrl, Optional<String> caIssuersUrl,
        Optional<String> ocspUrl, boolean allowKeyReuse, boolean requireChannelBinding) {

    /** A profile without CRL/AIA URLs that allows key reuse. */
    public CertificateProfile(String name, String caAlias, Duration validity, int minRsaBits, Set<String> curves,
            List<KeyPurposeId> extendedKeyUsages, boolean allowCa, Optional<X500Name> subject,
            Optional<String> commonName, boolean copySubjectAltName, boolean csrAttributes) {
        this(name, caAlias, validity, minRsaBits, curves, extendedKeyUsages, allowCa, subject, commonName,
                copySubjectAltName, csrAttributes, Optional.empty(), Optional.empty(), Optional.empty(), true, false);
    }

    public static final Set<String> KNOWN_CURVES = Set.of("P-256", "P-384", "P-521");

    public CertificateProfile {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("profile " + name + ": validity must be positive");
        }
        if (minRsaBits != 0 && minRsaBits < 2048) {
            throw new IllegalArgumentException("profile " + name + ": RSA keys below 2048 bits are never accepted");
        }
        if (!KNOWN_CURVES.containsAll(curves)) {
            throw new IllegalArgumentException("profile " + name + ": curves must be among " + KNOWN_CURVES);
        }
        curves = Set.copyOf(curves);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
    }

    /** The EKU for a configured name such as {@code clientAuth} or {@code serverAuth}. */
    public static KeyPurposeId extendedKeyUsage(String name) {
        return switch (name) {
            case "clientAuth" -> KeyPurposeId.id_kp_clientAuth;
            case "serverAuth" -> KeyPurposeId.id_kp_serverAuth;
            case "codeSigning" -> KeyPurposeId.id_kp_codeSigning;
            case "emailProtection" -> KeyPurposeId.id_kp_emailProtection;
            case "timeStamping" -> KeyPurposeId.id_kp_timeStamping;
            case "OCSPSigning" -> KeyPurposeId.id_kp_OCSPSigning;
            default -> throw new IllegalArgumentException("unknown extended key usage '" + name
                    + "' (clientAuth, serverAuth, codeSigning, emailProtection, timeStamping, OCSPSigning)");
        };
    }

    /** A device-identity profile with defaults, for tests and tools. */
    public static CertificateProfile deviceIdentity(Duration validity) {
        return new CertificateProfile("device-identity", "estuary-ca", validity, 2048, Set.of("P-256", "P-384"),
                List.of(KeyPurposeId.id_kp_clientAuth), false, Optional.empty(), Optional.empty(), true, true);
    }
}
