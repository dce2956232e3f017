package io.estuary.pki;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

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

    private CsrPolicy() {
    }

    // The known curves by OID: a request naming its curve (as every client here does) needs no comparison of points.
    private static final java.util.Map<org.bouncycastle.asn1.ASN1ObjectIdentifier, String> KNOWN_CURVE_OIDS =
            CertificateProfile.KNOWN_CURVES.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                    ECNamedCurveTable::getOID, name -> name));

    public static void check(CertificationRequest csr, CertificateProfile profile) {
        var namedCurve = csr.namedCurve();
        checkKey(csr.publicKey(), namedCurve == null ? null : KNOWN_CURVE_OIDS.get(namedCurve), profile);
        boolean wantsCa = requestsCa(csr);
        if (wantsCa && !profile.allowCa()) {
            throw new InvalidCsrException("the CSR asks for a CA certificate (CA:TRUE), which profile '"
                    + profile.name() + "' does not issue");
        }
        if (profile.subject().isEmpty() && profile.commonName().isEmpty()) {
            if (csr.subject().getRDNs().length == 0) {
                throw new InvalidCsrException("the CSR has an empty subject");
            }
            checkCharacters(csr.subject());
            int length = subjectLength(csr);
            if (length > MAX_SUBJECT_BYTES) {
                throw new InvalidCsrException("the CSR's subject is " + length + " bytes long (DER); at most "
                        + MAX_SUBJECT_BYTES + " are issued");
            }
        }
    }

    /**
     * Control characters have no place in a name, and NUL is the classic trick against name checks that stop at it
     * (a certificate for {@code bank.example\0.evil.example}); the stores cannot hold NUL either.
     */
    private static void checkCharacters(org.bouncycastle.asn1.x500.X500Name subject) {
        for (org.bouncycastle.asn1.x500.RDN rdn : subject.getRDNs()) {
            for (org.bouncycastle.asn1.x500.AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getValue() instanceof org.bouncycastle.asn1.ASN1String text) {
                    String value = text.getString();
                    for (int i = 0; i < value.length(); i++) {
                        char c = value.charAt(i);
                        if (Character.isISOControl(c)) {
                            throw new InvalidCsrException(String.format("the CSR's subject holds a control character"
                                    + " (U+%04X) in %s", (int) c, org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE
                                            .oidToDisplayName(attribute.getType())));
                        }
                    }
                }
            }
        }
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

    /** @param knownCurve the key's curve among the known ones when the request names it, else null */
    private static void checkKey(PublicKey key, String knownCurve, CertificateProfile profile) {
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
        if (key instanceof ECPublicKey ec) {
            String curve = knownCurve != null ? knownCurve : curveName(ec);
            if (!profile.curves().contains(curve)) {
                throw new InvalidCsrException("EC curve " + curve + " is not accepted by profile '" + profile.name()
                        + "' (accepted: " + String.join(", ", profile.curves().stream().sorted().toList()) + ")");
            }
            return;
        }
        throw new InvalidCsrException("key algorithm " + key.getAlgorithm() + " is not accepted");
    }

    /** NIST name of a key's curve, or a description of it when it is not a NIST prime curve. */
    static String curveName(ECPublicKey key) {
        var spec = EC5Util.convertSpec(key.getParams());
        for (String name : CertificateProfile.KNOWN_CURVES) {
            var candidate = ECNamedCurveTable.getByName(name);
            if (candidate != null && candidate.getCurve().equals(spec.getCurve())
                    && candidate.getG().equals(spec.getG())) {
                return name;
            }
        }
        return "of " + key.getParams().getCurve().getField().getFieldSize() + " bits (not P-256/P-384/P-521)";
    }
}
