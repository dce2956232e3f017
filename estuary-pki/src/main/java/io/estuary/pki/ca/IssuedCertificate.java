package io.estuary.pki.ca;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * A certificate the CA has signed. Holds the structure the CA built, so issuing reads its fields without parsing the
 * encoding again; a JDK {@link X509Certificate} is made only when asked for.
 */
public final class IssuedCertificate {
    private final X509CertificateHolder holder;
    private final Instant notBefore;
    private final Instant notAfter;
    private final String issuer;
    private volatile X509Certificate certificate;

    /**
     * @param notBefore, notAfter the validity written into the certificate (whole seconds)
     * @param issuer              the issuer in RFC 2253 form: the CA's, formatted once rather than per certificate
     */
    IssuedCertificate(X509CertificateHolder holder, Instant notBefore, Instant notAfter, String issuer) {
        this.holder = holder;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.issuer = issuer;
    }

    /** The certificate as a JDK object (parsed on first use). */
    public X509Certificate certificate() {
        X509Certificate parsed = certificate;
        if (parsed == null) {
            try {
                parsed = new JcaX509CertificateConverter().getCertificate(holder);
            } catch (CertificateException e) {
                throw new IllegalStateException("the issued certificate cannot be read", e);
            }
            certificate = parsed;
        }
        return parsed;
    }

    public String serialNumberHex() {
        return holder.getSerialNumber().toString(16);
    }

    /** The subject in RFC 2253 form, as {@link X500Principal#getName()} gives it. */
    public String subject() {
        return rfc2253(holder.getSubject());
    }

    public String issuer() {
        return issuer;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** The device a certificate names: its subject's common name, else its whole subject. */
    public String deviceId() {
        return deviceIdOf(holder.getSubject());
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
            return holder.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rfc2253(X500Name name) {
        try {
            return new X500Principal(name.getEncoded()).getName();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
