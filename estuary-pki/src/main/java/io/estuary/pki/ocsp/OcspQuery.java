package io.estuary.pki.ocsp;

import java.math.BigInteger;
import java.util.List;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.ocsp.CertificateID;

/**
 * A parsed OCSP request whose certificates are all of one CA this responder answers for.
 *
 * @param responder the CA's responder
 * @param ids       the certificates asked about, as the request names them (the answer repeats them)
 * @param nonce     the request's nonce extension, or null
 */
public record OcspQuery(ResponderKey responder, List<CertificateID> ids, Extension nonce) {
    public OcspQuery {
        ids = List.copyOf(ids);
    }

    /**
     * Whether its answer may be shared with other clients: one certificate and no nonce (the RFC 5019 profile, what
     * browsers and most devices send). An answer with a nonce is signed for its request alone.
     */
    public boolean shareable() {
        return ids.size() == 1 && nonce == null;
    }

    /** What a shareable answer is cached under: the CA and the serial number. */
    public String cacheKey() {
        return cacheKey(responder.alias(), ids.get(0).getSerialNumber());
    }

    public static String cacheKey(String alias, BigInteger serialNumber) {
        return alias + "/" + serialNumber.toString(16);
    }

    /**
     * The hash algorithm the request names the certificate with (the answer repeats it, so a cached answer serves
     * only requests of the same algorithm).
     */
    public String hashAlgorithm() {
        return ids.get(0).getHashAlgOID().getId();
    }

    public List<BigInteger> serialNumbers() {
        return ids.stream().map(CertificateID::getSerialNumber).toList();
    }
}
