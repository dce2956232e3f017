package io.estuary.pki.policy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.est.AttrOrOID;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** The {@code /csrattrs} answer (RFC 7030 §4.5): what a profile wants in a CSR, as DER {@code CsrAttrs}. */
public final class CsrAttributes {
    public static final String MEDIA_TYPE = "application/csrattrs";

    private CsrAttributes() {
    }

    /** Empty when the profile advertises nothing (the operation then answers 204). */
    public static Optional<byte[]> forProfile(CertificateProfile profile) {
        if (!profile.csrAttributes()) {
            return Optional.empty();
        }
        List<AttrOrOID> wanted = new ArrayList<>();
        if (!profile.curves().isEmpty()) {
            // RFC 7030 §4.5.2: the key type as an attribute naming the curves accepted.
            List<ASN1ObjectIdentifier> curves = profile.curves().stream().sorted().map(CsrAttributes::curveOid).toList();
            wanted.add(new AttrOrOID(new Attribute(X9ObjectIdentifiers.id_ecPublicKey,
                    new DERSet(curves.toArray(ASN1ObjectIdentifier[]::new)))));
        }
        if (profile.minRsaBits() > 0) {
            wanted.add(new AttrOrOID(PKCSObjectIdentifiers.rsaEncryption));
        }
        // The signature algorithms accepted for the CSR, for the key types accepted (RFC 7030 §4.5.2).
        for (String algorithm : profile.signatureAlgorithms()) {
            boolean ecdsa = algorithm.endsWith("ECDSA");
            if (ecdsa ? !profile.curves().isEmpty() : profile.minRsaBits() > 0) {
                wanted.add(new AttrOrOID(CertificateProfile.SIGNATURE_ALGORITHMS.get(algorithm)));
            }
        }
        if (profile.allowCa()) {
            wanted.add(new AttrOrOID(new Attribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                    new DERSet(new ASN1ObjectIdentifier[] { Extension.basicConstraints, Extension.keyUsage }))));
        }
        try {
            return Optional.of(new CsrAttrs(wanted.toArray(AttrOrOID[]::new)).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ASN1ObjectIdentifier curveOid(String name) {
        return switch (name) {
            case "P-256" -> SECObjectIdentifiers.secp256r1;
            case "P-384" -> SECObjectIdentifiers.secp384r1;
            case "P-521" -> SECObjectIdentifiers.secp521r1;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
