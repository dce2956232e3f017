package io.estuary.pki.policy;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * RFC 7030 §4.2.2: a re-enrollment renews the certificate the client authenticated with, so the CSR's subject and
 * subjectAltName must be those of that certificate. Same key is a renewal, a new key a rekey; both are allowed.
 */
public final class ReenrollmentPolicy {
    private ReenrollmentPolicy() {
    }

    /**
     * As {@link #check(CertificationRequest, X509Certificate)}; also refuses a certificate that was not issued under
     * the label's profile (else a device certificate could be "renewed" at the edge-ca label into a CA certificate),
     * and a renewal with the same key where the profile forbids key reuse.
     */
    public static void check(CertificationRequest csr, X509Certificate current, CertificateProfile profile) {
        if (!ProfilePolicies.issuedUnder(current, profile.name())) {
            throw new ReenrollmentRefusedException("the client certificate was not issued under profile '"
                    + profile.name() + "': renew a certificate at the label it was issued on");
        }
        check(csr, current);
        // Compared as encoded: the two keys may come from different providers, whose equals() need not agree.
        if (!profile.allowKeyReuse() && java.util.Arrays.equals(csr.publicKey().getEncoded(),
                current.getPublicKey().getEncoded())) {
            throw new ReenrollmentRefusedException("profile '" + profile.name()
                    + "' does not allow renewing with the same key: send a CSR for a new key");
        }
    }

    /** @throws ReenrollmentRefusedException when the CSR does not describe the certificate being renewed */
    public static void check(CertificationRequest csr, X509Certificate current) {
        JcaX509CertificateHolder holder;
        try {
            holder = new JcaX509CertificateHolder(current);
        } catch (CertificateEncodingException e) {
            throw new ReenrollmentRefusedException("the client certificate cannot be read");
        }
        X500Name currentSubject = holder.getSubject();
        if (!Arrays.equals(encoded(currentSubject), encoded(csr.subject()))) {
            throw new ReenrollmentRefusedException("the CSR's subject (" + csr.subject()
                    + ") differs from the certificate being renewed (" + currentSubject + ")");
        }
        Extension currentSan = holder.getExtension(Extension.subjectAlternativeName);
        Extension requestedSan = csr.requestedExtension(Extension.subjectAlternativeName);
        byte[] renewedSan = currentSan == null ? null : currentSan.getExtnValue().getOctets();
        byte[] askedSan = requestedSan == null ? null : requestedSan.getExtnValue().getOctets();
        if (!Arrays.equals(renewedSan, askedSan)) {
            throw new ReenrollmentRefusedException(
                    "the CSR's subjectAltName differs from the certificate being renewed");
        }
    }

    private static byte[] encoded(X500Name name) {
        try {
            return name.getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
