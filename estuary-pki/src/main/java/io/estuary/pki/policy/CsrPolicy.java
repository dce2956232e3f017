package io.estuary.pki.policy;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

/**
 * Decides whether a CSR may be honoured under a profile. The frontend applies it to answer 400 at once; the signer
 * applies it again because it never trusts its callers.
 */
public final class CsrPolicy {
    /**
     * The longest subject (DER) issued from a CSR: ample for any device name (IoT Hub device ids have at most 128
     * characters), and small enough that what is derived from it (the device id) fits the stores' indexes, whose
     * entries PostgreSQL caps at about 2.7 kB: a longer one would fail every insert of its event, not just this one.
     */
    public static final int MAX_SUBJECT_BYTES = 1024;

    private static final DefaultAlgorithmNameFinder ALGORITHM_NAMES = new DefaultAlgorithmNameFinder();

    private CsrPolicy() {
    }

    // Every EC key names its curve (explicit parameters are refused when the request is parsed).
    private static final java.util.Map<org.bouncycastle.asn1.ASN1ObjectIdentifier, String> KNOWN_CURVE_OIDS =
            CertificateProfile.KNOWN_CURVES.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                    ECNamedCurveTable::getOID, name -> name));

    /**
     * Refuses, with the reason, a CSR the profile does not honour: its signature algorithm, its key, a CA request
     * where none is issued, a subject that cannot be issued, a subjectAltName entry of the wrong syntax. What every
     * CSR must be whatever the profile was checked when it was parsed.
     */
    public static void check(CertificationRequest csr, CertificateProfile profile) {
        checkSignatureAlgorithm(csr, profile);
        var namedCurve = csr.namedCurve();
        checkKey(csr.publicKey(), namedCurve, profile);
        boolean wantsCa = requestsCa(csr);
        if (wantsCa && !profile.allowCa()) {
            throw new InvalidCsrException("the CSR asks for a CA certificate (CA:TRUE), which profile '"
                    + profile.name() + "' does not issue");
        }
        if (profile.subject().isEmpty() && profile.commonName().isEmpty()) {
            if (csr.subject().getRDNs().length == 0) {
                throw new InvalidCsrException("the CSR has an empty subject");
            }
            int length = subjectLength(csr);
            if (length > MAX_SUBJECT_BYTES) {
                throw new InvalidCsrException("the CSR's subject is " + length + " bytes long (DER); at most "
                        + MAX_SUBJECT_BYTES + " are issued");
            }
        }
        if (profile.copySubjectAltName()) {
            csr.subjectAltName(profile);
        }
    }

    private static void checkSignatureAlgorithm(CertificationRequest csr, CertificateProfile profile) {
        var oid = csr.signatureAlgorithm();
        for (String accepted : profile.signatureAlgorithms()) {
            if (CertificateProfile.SIGNATURE_ALGORITHMS.get(accepted).equals(oid)) {
                return;
            }
        }
        throw new InvalidCsrException("the CSR is signed with " + ALGORITHM_NAMES.getAlgorithmName(oid)
                + ", which profile '" + profile.name() + "' does not accept (accepted: "
                + String.join(", ", profile.signatureAlgorithms()) + ")");
    }

    private static int subjectLength(CertificationRequest csr) {
        try {
            return csr.subject().getEncoded().length;
        } catch (java.io.IOException e) {
            throw new InvalidCsrException("the CSR's subject cannot be encoded");
        }
    }

    /** True if the CSR's extensionRequest carries basicConstraints with CA:TRUE. */
    public static boolean requestsCa(CertificationRequest csr) {
        Extension basicConstraints = csr.requestedExtension(Extension.basicConstraints);
        return basicConstraints != null && BasicConstraints.getInstance(basicConstraints.getParsedValue()).isCA();
    }

    /** @param namedCurve the OID of the key's curve (every EC key names its curve), null for RSA */
    private static void checkKey(PublicKey key, ASN1ObjectIdentifier namedCurve, CertificateProfile profile) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (profile.minRsaBits() == 0) {
                throw new InvalidCsrException("RSA keys are not accepted by profile '" + profile.name() + "'");
            }
            if (bits < profile.minRsaBits()) {
                throw new InvalidCsrException("RSA-" + bits + " is too weak: profile '" + profile.name()
                        + "' needs at least " + profile.minRsaBits() + " bits");
            }
            return;
        }
        if (key instanceof ECPublicKey && namedCurve != null) {
            String known = KNOWN_CURVE_OIDS.get(namedCurve);
            String curve = known != null ? known : namedCurve.getId();
            if (known == null || !profile.curves().contains(known)) {
                throw new InvalidCsrException("EC curve " + curve + " is not accepted by profile '" + profile.name()
                        + "' (accepted: " + String.join(", ", profile.curves().stream().sorted().toList()) + ")");
            }
            return;
        }
        throw new InvalidCsrException("key algorithm " + key.getAlgorithm() + " is not accepted");
    }
}
