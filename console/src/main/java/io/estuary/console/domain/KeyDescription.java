package io.estuary.console.domain;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** A public key's type as an operator names it: "EC P-256", "RSA 3072", "Ed25519". */
public final class KeyDescription {
    private KeyDescription() {
    }

    public static String of(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())
                && info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve) {
            String name = ECNamedCurveTable.getName(curve);
            return "EC " + (name == null ? curve.getId() : nistName(name));
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(info.getAlgorithm().getAlgorithm())) {
            return "Ed25519";
        }
        if (EdECObjectIdentifiers.id_Ed448.equals(info.getAlgorithm().getAlgorithm())) {
            return "Ed448";
        }
        return key.getAlgorithm();
    }

    /** BC names the NIST curves by their SEC names; operators (and the CA key-type setting) use P-256 and so on. */
    private static String nistName(String name) {
        return switch (name) {
            case "secp256r1", "prime256v1" -> "P-256";
            case "secp384r1" -> "P-384";
            case "secp521r1" -> "P-521";
            default -> name;
        };
    }
}
