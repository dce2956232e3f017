package io.estuary.pki;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;

/** The "certs-only" degenerate PKCS#7 / CMS SignedData that EST uses for every certificate response. */
public final class CertsOnly {
    /** The response media type, spelled exactly: libest compares the string, space included. */
    public static final String MEDIA_TYPE = "application/pkcs7-mime; smime-type=certs-only";

    private CertsOnly() {
    }

    public static byte[] encode(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            // DER, not BC's default indefinite-length BER: strict client parsers expect DER.
            return generator.generate(new CMSAbsentContent()).getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encode certs-only response", e);
        }
    }

    public static List<X509Certificate> decode(byte[] der) {
        try {
            CMSSignedData signedData = new CMSSignedData(der);
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            List<X509Certificate> certificates = new ArrayList<>();
            for (X509CertificateHolder holder : signedData.getCertificates().getMatches(null)) {
                certificates.add(converter.getCertificate(holder));
            }
            return certificates;
        } catch (CMSException | CertificateException | RuntimeException e) {
            throw new MalformedRequestException("not a certs-only PKCS#7 structure", e);
        }
    }
}
