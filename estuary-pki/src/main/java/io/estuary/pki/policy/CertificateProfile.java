package io.estuary.pki.policy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

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
 * @param allowWildcard      whether a dNSName in the subjectAltName may start with the wildcard label {@code *.}
 * @param signatureAlgorithms the CSR signature algorithms accepted, by JCA name (keys of
 *                           {@link #SIGNATURE_ALGORITHMS}), in the order {@code /csrattrs} lists them
 */
public record CertificateProfile(String name, String caAlias, Duration validity, int minRsaBits, Set<String> curves,
        List<KeyPurposeId> extendedKeyUsages, boolean allowCa, Optional<X500Name> subject, Optional<String> commonName,
        boolean copySubjectAltName, boolean csrAttributes, Optional<String> crlUrl, Optional<String> caIssuersUrl,
        Optional<String> ocspUrl, boolean allowKeyReuse, boolean allowWildcard, List<String> signatureAlgorithms) {

    /**
     * The CSR signature algorithms a profile may accept, by JCA name: ECDSA and RSA PKCS#1 v1.5 with SHA-2. MD5 and
     * SHA-1 are collision-prone; RSASSA-PSS is not offered (its parameters would need checking of their own).
     */
    public static final Map<String, ASN1ObjectIdentifier> SIGNATURE_ALGORITHMS = orderedSignatureAlgorithms();

    private static Map<String, ASN1ObjectIdentifier> orderedSignatureAlgorithms() {
        Map<String, ASN1ObjectIdentifier> known = new LinkedHashMap<>();
        known.put("SHA256withECDSA", X9ObjectIdentifiers.ecdsa_with_SHA256);
        known.put("SHA384withECDSA", X9ObjectIdentifiers.ecdsa_with_SHA384);
        known.put("SHA512withECDSA", X9ObjectIdentifiers.ecdsa_with_SHA512);
        known.put("SHA256withRSA", PKCSObjectIdentifiers.sha256WithRSAEncryption);
        known.put("SHA384withRSA", PKCSObjectIdentifiers.sha384WithRSAEncryption);
        known.put("SHA512withRSA", PKCSObjectIdentifiers.sha512WithRSAEncryption);
        return Collections.unmodifiableMap(known);
    }

    /** Every algorithm of {@link #SIGNATURE_ALGORITHMS}: a profile's default (a constant, for configuration defaults). */
    public static final String DEFAULT_SIGNATURE_ALGORITHM_NAMES =
            "SHA256withECDSA,SHA384withECDSA,SHA512withECDSA,SHA256withRSA,SHA384withRSA,SHA512withRSA";
    public static final List<String> DEFAULT_SIGNATURE_ALGORITHMS = List.of(DEFAULT_SIGNATURE_ALGORITHM_NAMES.split(","));

    /** A profile without wildcards, accepting the default signature algorithms. */
    public CertificateProfile(String name, String caAlias, Duration validity, int minRsaBits, Set<String> curves,
            List<KeyPurposeId> extendedKeyUsages, boolean allowCa, Optional<X500Name> subject,
            Optional<String> commonName, boolean copySubjectAltName, boolean csrAttributes, Optional<String> crlUrl,
            Optional<String> caIssuersUrl, Optional<String> ocspUrl, boolean allowKeyReuse) {
        this(name, caAlias, validity, minRsaBits, curves, extendedKeyUsages, allowCa, subject, commonName,
                copySubjectAltName, csrAttributes, crlUrl, caIssuersUrl, ocspUrl, allowKeyReuse, false,
                DEFAULT_SIGNATURE_ALGORITHMS);
    }

    /** A profile without CRL/AIA URLs that allows key reuse. */
    public CertificateProfile(String name, String caAlias, Duration validity, int minRsaBits, Set<String> curves,
            List<KeyPurposeId> extendedKeyUsages, boolean allowCa, Optional<X500Name> subject,
            Optional<String> commonName, boolean copySubjectAltName, boolean csrAttributes) {
        this(name, caAlias, validity, minRsaBits, curves, extendedKeyUsages, allowCa, subject, commonName,
                copySubjectAltName, csrAttributes, Optional.empty(), Optional.empty(), Optional.empty(), true, false,
                DEFAULT_SIGNATURE_ALGORITHMS);
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
        if (signatureAlgorithms.isEmpty()) {
            throw new IllegalArgumentException("profile " + name + ": at least one signature algorithm is needed");
        }
        for (String algorithm : signatureAlgorithms) {
            if (!SIGNATURE_ALGORITHMS.containsKey(algorithm)) {
                throw new IllegalArgumentException("profile " + name + ": unknown signature algorithm '" + algorithm
                        + "' (" + String.join(", ", SIGNATURE_ALGORITHMS.keySet()) + ")");
            }
        }
        signatureAlgorithms = signatureAlgorithms.stream().distinct().toList();
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
