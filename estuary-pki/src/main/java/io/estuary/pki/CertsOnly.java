package io.estuary.pki;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.x509.Certificate;
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

    /**
     * The same structure from certificates already DER-encoded (as the signer publishes them): assembled directly,
     * without building certificate objects, because the frontend answers every enrollment with one.
     */
    public static byte[] encodeDer(List<byte[]> certificates) {
        try {
            ASN1EncodableVector certs = new ASN1EncodableVector();
            for (byte[] certificate : certificates) {
                certs.add(Certificate.getInstance(certificate));
            }
            SignedData signedData = new SignedData(new DERSet(), new ContentInfo(CMSObjectIdentifiers.data, null),
                    new DERSet(certs), null, new DERSet());
            return new ContentInfo(CMSObjectIdentifiers.signedData, signedData).getEncoded(ASN1Encoding.DER);
        } catch (IOException | IllegalArgumentException e) {
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
