package io.estuary.pki.policy;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import io.estuary.pki.wire.MalformedRequestException;

/**
 * What every CSR must be before anything reads it, whatever the profile: DER, PKCS#10 version 0, a subject of
 * well-formed strings, an RSA or named-curve EC key, at most one extensionRequest without repeated extensions, and
 * attributes of the types PKCS#9 gives them. Checked before the signature, so that a key built to be expensive (a huge
 * modulus or exponent) is refused before it is used.
 */
final class CsrStructure {
    /** Larger RSA keys are refused before their signature is checked: verifying with them costs too much. */
    static final int MAX_RSA_BITS = 16384;
    /** The largest public exponent accepted (as the CA/Browser Forum's baseline requirements say: at most 2^256-1). */
    private static final int MAX_RSA_EXPONENT_BITS = 256;
    private static final BigInteger MIN_RSA_EXPONENT = BigInteger.valueOf(65537);
    private static final int MAX_CHALLENGE_PASSWORD = 255;

    private CsrStructure() {
    }

    /** @return the requested extensions (PKCS#9 extensionRequest), or null when there is none */
    static Extensions check(CertificationRequest request, byte[] der) {
        try {
            if (!Arrays.equals(request.getEncoded(ASN1Encoding.DER), der)) {
                throw new MalformedRequestException("the CSR is not DER-encoded (X.690 distinguished encoding)");
            }
            CertificationRequestInfo info = request.getCertificationRequestInfo();
            if (!info.getVersion().hasValue(0)) {
                throw new InvalidCsrException("the CSR's version is " + shortNumber(info.getVersion().getValue())
                        + ": PKCS#10 defines only version 0 (v1)");
            }
            NameSyntax.checkSubject(info.getSubject());
            checkKey(info.getSubjectPublicKeyInfo());
            checkSignatureAlgorithm(request.getSignatureAlgorithm(), info.getSubjectPublicKeyInfo());
            return attributes(info.getAttributes());
        } catch (InvalidCsrException | MalformedRequestException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reads lazily and throws IllegalArgumentException, IllegalStateException or
            // ClassCastException on a structure of the wrong shape: all mean the same to the client.
            throw new MalformedRequestException("the CSR's structure is not that of a PKCS#10 request", e);
        }
    }

    private static void checkKey(SubjectPublicKeyInfo key) throws IOException {
        AlgorithmIdentifier algorithm = key.getAlgorithm();
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            if (!DERNull.INSTANCE.equals(algorithm.getParameters())) {
                throw new InvalidCsrException("the CSR's RSA key does not have the NULL parameters of rsaEncryption");
            }
            RSAPublicKey rsa = RSAPublicKey.getInstance(key.parsePublicKey());
            BigInteger modulus = rsa.getModulus();
            BigInteger exponent = rsa.getPublicExponent();
            if (modulus.signum() <= 0 || !modulus.testBit(0)) {
                throw new InvalidCsrException("the CSR's RSA modulus is not a positive odd number");
            }
            if (modulus.bitLength() > MAX_RSA_BITS) {
                throw new InvalidCsrException("RSA-" + modulus.bitLength() + " is larger than the " + MAX_RSA_BITS
                        + " bits accepted");
            }
            if (!exponent.testBit(0) || exponent.compareTo(MIN_RSA_EXPONENT) < 0
                    || exponent.bitLength() > MAX_RSA_EXPONENT_BITS) {
                throw new InvalidCsrException("the CSR's RSA public exponent " + shortNumber(exponent)
                        + " is refused: it must be odd, at least 65537 and below 2^256");
            }
            return;
        }
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            // Explicit parameters let a key claim a known curve with another generator (CVE-2020-0601).
            if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier)) {
                throw new InvalidCsrException("the CSR's EC key does not name its curve: explicit or implicit curve"
                        + " parameters are refused");
            }
            return;
        }
        throw new InvalidCsrException("key algorithm " + oid.getId() + " is not accepted (RSA or EC)");
    }

    /** Parameters as the known algorithms define them, and an algorithm of the key's type. */
    private static void checkSignatureAlgorithm(AlgorithmIdentifier signature, SubjectPublicKeyInfo key) {
        String name = CertificateProfile.SIGNATURE_ALGORITHMS.entrySet().stream()
                .filter(e -> e.getValue().equals(signature.getAlgorithm())).map(java.util.Map.Entry::getKey)
                .findFirst().orElse(null);
        if (name == null) {
            return; // the profile's list refuses it, with its name
        }
        boolean ecdsa = name.endsWith("ECDSA");
        if (ecdsa ? signature.getParameters() != null : !isAbsentOrNull(signature.getParameters())) {
            throw new InvalidCsrException("the CSR's signature algorithm " + name + " carries parameters it does not"
                    + " take");
        }
        ASN1ObjectIdentifier keyType = ecdsa ? X9ObjectIdentifiers.id_ecPublicKey : PKCSObjectIdentifiers.rsaEncryption;
        if (!keyType.equals(key.getAlgorithm().getAlgorithm())) {
            throw new InvalidCsrException("the CSR is signed with " + name + ", which does not match its "
                    + (ecdsa ? "RSA" : "EC") + " key");
        }
    }

    private static boolean isAbsentOrNull(ASN1Encodable parameters) {
        return parameters == null || DERNull.INSTANCE.equals(parameters);
    }

    private static Extensions attributes(ASN1Set attributes) {
        if (attributes == null) {
            return null;
        }
        Set<ASN1ObjectIdentifier> seen = new HashSet<>();
        Extensions extensions = null;
        for (ASN1Encodable element : attributes) {
            Attribute attribute = Attribute.getInstance(element);
            ASN1ObjectIdentifier type = attribute.getAttrType();
            if (!seen.add(type)) {
                throw new InvalidCsrException(type.equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)
                        ? "the CSR holds more than one extensionRequest attribute"
                        : "the CSR holds the attribute " + type.getId() + " more than once");
            }
            ASN1Encodable[] values = attribute.getAttributeValues();
            if (values.length != 1) {
                throw new InvalidCsrException("the CSR's attribute " + type.getId() + " holds " + values.length
                        + " values (one is expected)");
            }
            if (type.equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                extensions = extensionRequest(values[0]);
            } else if (type.equals(PKCSObjectIdentifiers.pkcs_9_at_challengePassword)) {
                challengePassword(values[0].toASN1Primitive());
            }
            // Other attributes (unstructuredName, vendors' own) are never copied into a certificate: not read.
        }
        return extensions;
    }

    private static Extensions extensionRequest(ASN1Encodable value) {
        if (!(value.toASN1Primitive() instanceof ASN1Sequence sequence)) {
            throw new InvalidCsrException("the CSR's extensionRequest is not a sequence of extensions");
        }
        if (sequence.size() == 0) {
            throw new InvalidCsrException("the CSR's extensionRequest is empty");
        }
        Set<ASN1ObjectIdentifier> seen = new HashSet<>();
        for (ASN1Encodable element : sequence) {
            Extension extension = Extension.getInstance(element);
            if (!seen.add(extension.getExtnId())) {
                throw new InvalidCsrException("the CSR's extensionRequest holds the extension "
                        + extension.getExtnId().getId() + " more than once");
            }
            checkExtensionValue(extension);
        }
        return Extensions.getInstance(sequence);
    }

    /** The extensions the CA reads, or that a client might expect it to honour, must at least parse. */
    private static void checkExtensionValue(Extension extension) {
        ASN1ObjectIdentifier oid = extension.getExtnId();
        try {
            ASN1Primitive value = ASN1Primitive.fromByteArray(extension.getExtnValue().getOctets());
            if (oid.equals(Extension.basicConstraints)) {
                BasicConstraints.getInstance(value);
            } else if (oid.equals(Extension.keyUsage)) {
                KeyUsage.getInstance(value);
            } else if (oid.equals(Extension.extendedKeyUsage)) {
                ExtendedKeyUsage.getInstance(value);
            } else if (oid.equals(Extension.subjectAlternativeName)) {
                org.bouncycastle.asn1.x509.GeneralNames.getInstance(value);
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("the CSR's requested extension " + extensionName(oid) + " is malformed");
        }
    }

    private static String extensionName(ASN1ObjectIdentifier oid) {
        if (oid.equals(Extension.basicConstraints)) {
            return "basicConstraints";
        }
        if (oid.equals(Extension.keyUsage)) {
            return "keyUsage";
        }
        if (oid.equals(Extension.extendedKeyUsage)) {
            return "extKeyUsage";
        }
        if (oid.equals(Extension.subjectAlternativeName)) {
            return "subjectAltName";
        }
        return oid.getId();
    }

    /** PKCS#9: a DirectoryString of 1 to 255 characters; kept for clients that send one (and for channel binding). */
    private static void challengePassword(ASN1Primitive value) {
        String text;
        if (value instanceof ASN1UTF8String utf8) {
            text = NameSyntax.utf8Contents(utf8, "the CSR's challengePassword is not valid UTF-8");
        } else if (value instanceof ASN1PrintableString printable) {
            text = printable.getString();
            if (!ASN1PrintableString.isPrintableString(text)) {
                throw new InvalidCsrException("the CSR's challengePassword holds a character outside PrintableString");
            }
        } else if (value instanceof org.bouncycastle.asn1.ASN1T61String
                || value instanceof org.bouncycastle.asn1.ASN1BMPString
                || value instanceof org.bouncycastle.asn1.ASN1UniversalString) {
            // Other DirectoryString choices: their contents are not read, only their shape.
            text = ((org.bouncycastle.asn1.ASN1String) value).getString();
        } else {
            throw new InvalidCsrException("the CSR's challengePassword is a " + NameSyntax.typeName(value)
                    + ", not a DirectoryString");
        }
        if (text.isEmpty() || text.length() > MAX_CHALLENGE_PASSWORD) {
            throw new InvalidCsrException("the CSR's challengePassword must have 1 to " + MAX_CHALLENGE_PASSWORD
                    + " characters");
        }
    }

    private static String shortNumber(BigInteger value) {
        return value.bitLength() <= 64 ? value.toString() : "of " + value.bitLength() + " bits";
    }
}
