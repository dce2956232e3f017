package io.estuary.pki;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** A certificate the CA has signed. */
public record IssuedCertificate(X509Certificate certificate) {

    public String serialNumberHex() {
        return certificate.getSerialNumber().toString(16);
    }

    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    public String issuer() {
        return certificate.getIssuerX500Principal().getName();
    }

    /** The device a certificate names: its subject's common name, else its whole subject. */
    public String deviceId() {
        return deviceIdOf(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()));
    }

    public static String deviceIdOf(X500Name subject) {
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        if (cns.length > 0) {
            return IETFUtils.valueToString(cns[0].getFirst().getValue());
        }
        return subject.toString();
    }

    public byte[] encoded() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
