package io.estuary.pki.wire;

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

    /**
     * The same structure from certificates already DER-encoded (as the signer publishes them): assembled directly,
     * without building certificate objects, because the frontend answers every enrollment with one.
     */
    public static byte[] encodeDer(List<byte[]> certificates) {
        // Written out rather than through Bouncy Castle's ASN.1 objects, which parse every certificate and measure
        // each structure twice: that was a tenth of the frontend's CPU. CertificateAuthorityTest holds it
        // byte-identical to Bouncy Castle's generator.
        List<byte[]> sorted = new ArrayList<>(certificates.size());
        for (byte[] certificate : certificates) {
            if (!isDerSequence(certificate)) {
                throw new IllegalStateException("cannot encode certs-only response: not a DER certificate");
            }
            sorted.add(certificate);
        }
        sorted.sort(java.util.Arrays::compareUnsigned); // DER orders the elements of a SET OF by their encoding
        byte[] signedData = tlv(0x30, INTEGER_1, EMPTY_SET, DATA_CONTENT_INFO,
                tlv(0xA0, sorted.toArray(byte[][]::new)), EMPTY_SET);
        return tlv(0x30, SIGNED_DATA_OID, tlv(0xA0, signedData));
    }

    // The fixed parts of a certs-only SignedData (RFC 5652 §5.1, version 1, no signers, no content).
    private static final byte[] SIGNED_DATA_OID = { 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7,
            0x0D, 0x01, 0x07, 0x02 };
    private static final byte[] DATA_CONTENT_INFO = { 0x30, 0x0B, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xF7, 0x0D, 0x01, 0x07, 0x01 };
    private static final byte[] INTEGER_1 = { 0x02, 0x01, 0x01 };
    private static final byte[] EMPTY_SET = { 0x31, 0x00 };

    private static byte[] tlv(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] header = header(tag, length);
        byte[] out = java.util.Arrays.copyOf(header, header.length + length);
        int at = header.length;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static byte[] header(int tag, int length) {
        if (length < 0x80) {
            return new byte[] { (byte) tag, (byte) length };
        }
        int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] header = new byte[2 + octets];
        header[0] = (byte) tag;
        header[1] = (byte) (0x80 | octets);
        for (int i = 0; i < octets; i++) {
            header[2 + i] = (byte) (length >>> (8 * (octets - 1 - i)));
        }
        return header;
    }

    /** A definite-length SEQUENCE spanning exactly the bytes given (what a DER certificate is on the outside). */
    private static boolean isDerSequence(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            return false;
        }
        int first = der[1] & 0xFF;
        if (first < 0x80) {
            return first == der.length - 2;
        }
        int octets = first & 0x7F;
        if (octets == 0 || octets > 3 || der.length < 2 + octets) {
            return false;
        }
        int length = 0;
        for (int i = 0; i < octets; i++) {
            length = (length << 8) | (der[2 + i] & 0xFF);
        }
        return length == der.length - 2 - octets;
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
