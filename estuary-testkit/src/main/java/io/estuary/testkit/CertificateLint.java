package io.estuary.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Checks an issued certificate against the rules of RFC 5280 for the fields Estuary sets. No such linter ships in
 * Debian or Maven Central, so the tests carry this one. {@link #problems} lists every rule broken; {@link #check}
 * fails with them.
 */
public final class CertificateLint {
    private static final Pattern UTC_TIME = Pattern.compile("\\d{12}Z");
    private static final Pattern GENERALIZED_TIME = Pattern.compile("\\d{14}Z");
    private static final Set<ASN1ObjectIdentifier> NAMED_CURVES = Set.of(SECObjectIdentifiers.secp256r1,
            SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1);
    private static final BigInteger MIN_EXPONENT = BigInteger.valueOf(65537);

    private CertificateLint() {
    }

    /** @throws AssertionError naming every rule the certificate breaks */
    public static void check(X509Certificate certificate, X509Certificate issuer) {
        List<String> problems = problems(certificate, issuer);
        if (!problems.isEmpty()) {
            throw new AssertionError("certificate " + certificate.getSubjectX500Principal() + " breaks RFC 5280: "
                    + String.join("; ", problems));
        }
    }

    public static List<String> problems(X509Certificate certificate, X509Certificate issuer) {
        List<String> problems = new ArrayList<>();
        try {
            Certificate cert = Certificate.getInstance(certificate.getEncoded());
            Certificate ca = Certificate.getInstance(issuer.getEncoded());
            lint(cert, ca, problems);
            try {
                certificate.verify(issuer.getPublicKey());
            } catch (Exception e) {
                problems.add("the signature does not verify with the issuer's key: " + e);
            }
        } catch (Exception e) {
            problems.add("cannot be read: " + e);
        }
        return problems;
    }

    private static void lint(Certificate cert, Certificate ca, List<String> problems) throws IOException {
        TBSCertificate tbs = cert.getTBSCertificate();
        if (tbs.getVersionNumber() != 3) {
            problems.add("version is v" + tbs.getVersionNumber() + ", not v3");
        }
        BigInteger serial = tbs.getSerialNumber().getValue();
        if (serial.signum() <= 0) {
            problems.add("serial number is not positive");
        }
        if (serial.toByteArray().length > 20) {
            problems.add("serial number is longer than 20 octets");
        }
        if (!Arrays.equals(cert.getSignatureAlgorithm().getEncoded(ASN1Encoding.DER),
                tbs.getSignature().getEncoded(ASN1Encoding.DER))) {
            problems.add("signatureAlgorithm differs from the TBS signature field");
        }
        if (!Arrays.equals(tbs.getIssuer().getEncoded(ASN1Encoding.DER),
                ca.getSubject().getEncoded(ASN1Encoding.DER))) {
            problems.add("issuer is not byte-equal to the CA's subject");
        }
        lintValidity(tbs, ca.getTBSCertificate(), problems);
        lintName("issuer", tbs.getIssuer(), problems);
        lintName("subject", tbs.getSubject(), problems);
        lintKey(tbs.getSubjectPublicKeyInfo(), problems);
        lintExtensions(tbs, ca.getTBSCertificate(), problems);
    }

    private static void lintValidity(TBSCertificate tbs, TBSCertificate ca, List<String> problems) {
        lintTime("notBefore", tbs.getStartDate(), problems);
        lintTime("notAfter", tbs.getEndDate(), problems);
        var notBefore = tbs.getStartDate().getDate();
        var notAfter = tbs.getEndDate().getDate();
        if (!notBefore.before(notAfter)) {
            problems.add("notBefore is not before notAfter");
        }
        if (notBefore.before(ca.getStartDate().getDate())) {
            problems.add("notBefore precedes the CA's notBefore");
        }
        if (notAfter.after(ca.getEndDate().getDate())) {
            problems.add("notAfter is after the CA's notAfter");
        }
    }

    /** UTCTime through 2049, GeneralizedTime from 2050, both in seconds with Z (RFC 5280 §4.1.2.5). */
    private static void lintTime(String field, Time time, List<String> problems) {
        ASN1Primitive value = time.toASN1Primitive();
        int year = time.getDate().toInstant().atZone(java.time.ZoneOffset.UTC).getYear();
        if (value instanceof ASN1UTCTime utc) {
            if (!UTC_TIME.matcher(new String(contents(utc), java.nio.charset.StandardCharsets.US_ASCII)).matches()) {
                problems.add(field + " is not a UTCTime YYMMDDHHMMSSZ");
            }
            if (year > 2049) {
                problems.add(field + " is a UTCTime after 2049");
            }
        } else if (value instanceof ASN1GeneralizedTime generalized) {
            if (!GENERALIZED_TIME.matcher(new String(contents(generalized), java.nio.charset.StandardCharsets.US_ASCII))
                    .matches()) {
                problems.add(field + " is not a GeneralizedTime YYYYMMDDHHMMSSZ");
            }
            if (year < 2050) {
                problems.add(field + " is a GeneralizedTime before 2050");
            }
        } else {
            problems.add(field + " is neither UTCTime nor GeneralizedTime");
        }
    }

    /** Strings of their type's character set, never empty (RFC 5280 §4.1.2.4, §4.1.2.6). */
    private static void lintName(String field, X500Name name, List<String> problems) {
        for (RDN rdn : name.getRDNs()) {
            if (rdn.size() == 0) {
                problems.add(field + " has an empty RDN");
            }
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                String type = BCStyle.INSTANCE.oidToDisplayName(attribute.getType());
                ASN1Primitive value = attribute.getValue().toASN1Primitive();
                String text;
                if (value instanceof ASN1PrintableString printable) {
                    text = printable.getString();
                    if (!ASN1PrintableString.isPrintableString(text)) {
                        problems.add(field + " " + type + " is a PrintableString outside its character set");
                    }
                } else if (value instanceof ASN1UTF8String) {
                    try {
                        text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                                .decode(java.nio.ByteBuffer.wrap(contents(value))).toString();
                    } catch (java.nio.charset.CharacterCodingException e) {
                        problems.add(field + " " + type + " is not valid UTF-8");
                        continue;
                    }
                } else if (value instanceof ASN1IA5String ia5 && (attribute.getType().equals(BCStyle.EmailAddress)
                        || attribute.getType().equals(BCStyle.DC))) {
                    text = ia5.getString();
                    if (!ASN1IA5String.isIA5String(text)) {
                        problems.add(field + " " + type + " is an IA5String with 8-bit bytes");
                    }
                } else {
                    problems.add(field + " " + type + " is a " + value.getClass().getSimpleName()
                            + ", not PrintableString or UTF8String");
                    continue;
                }
                if (text.isEmpty()) {
                    problems.add(field + " " + type + " is empty");
                }
                if (text.chars().anyMatch(Character::isISOControl)) {
                    problems.add(field + " " + type + " holds a control character");
                }
                if (attribute.getType().equals(BCStyle.C)
                        && !(value instanceof ASN1PrintableString && text.length() == 2)) {
                    problems.add(field + " C is not a two-letter PrintableString");
                }
            }
        }
    }

    private static void lintKey(SubjectPublicKeyInfo key, List<String> problems) throws IOException {
        ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
        ASN1Encodable parameters = key.getAlgorithm().getParameters();
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            if (!(parameters instanceof ASN1ObjectIdentifier curve) || !NAMED_CURVES.contains(curve)) {
                problems.add("the EC key does not name P-256, P-384 or P-521");
            }
        } else if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            if (!DERNull.INSTANCE.equals(parameters)) {
                problems.add("the RSA key's parameters are not NULL");
            }
            BigInteger exponent = RSAPublicKey.getInstance(key.parsePublicKey()).getPublicExponent();
            if (exponent.compareTo(MIN_EXPONENT) < 0 || !exponent.testBit(0)) {
                problems.add("the RSA public exponent is not odd and at least 65537");
            }
        } else {
            problems.add("the key is neither EC nor RSA (" + algorithm + ")");
        }
    }

    private static void lintExtensions(TBSCertificate tbs, TBSCertificate ca, List<String> problems)
            throws IOException {
        // Read from the raw sequence: Bouncy Castle's Extensions refuses duplicates rather than showing them.
        ASN1Encodable extensions = extensionsOf(ASN1Sequence.getInstance(tbs.toASN1Primitive()));
        ASN1Sequence raw = extensions == null ? null : ASN1Sequence.getInstance(extensions);
        if (raw == null || raw.size() == 0) {
            problems.add("no extensions");
            return;
        }
        Set<ASN1ObjectIdentifier> seen = new HashSet<>();
        java.util.Map<ASN1ObjectIdentifier, Extension> byOid = new java.util.HashMap<>();
        for (ASN1Encodable element : raw) {
            Extension extension = Extension.getInstance(element);
            if (!seen.add(extension.getExtnId())) {
                problems.add("extension " + extension.getExtnId() + " appears more than once");
            }
            byOid.put(extension.getExtnId(), extension);
        }
        Extension basic = byOid.get(Extension.basicConstraints);
        boolean isCa = false;
        if (basic == null) {
            problems.add("no basicConstraints");
        } else {
            if (!basic.isCritical()) {
                problems.add("basicConstraints is not critical");
            }
            isCa = BasicConstraints.getInstance(basic.getParsedValue()).isCA();
        }
        Extension usage = byOid.get(Extension.keyUsage);
        if (usage == null) {
            problems.add("no keyUsage");
        } else {
            if (!usage.isCritical()) {
                problems.add("keyUsage is not critical");
            }
            KeyUsage bits = KeyUsage.getInstance(usage.getParsedValue());
            if (bits.getBytes().length == 0 || new BigInteger(1, bits.getBytes()).signum() == 0) {
                problems.add("keyUsage asserts no usage");
            }
            if (isCa != bits.hasUsages(KeyUsage.keyCertSign)) {
                problems.add(isCa ? "CA:TRUE without keyCertSign" : "keyCertSign without CA:TRUE");
            }
        }
        Extension ski = byOid.get(Extension.subjectKeyIdentifier);
        if (ski == null) {
            problems.add("no subjectKeyIdentifier");
        } else if (ski.isCritical()) {
            problems.add("subjectKeyIdentifier is critical");
        }
        Extension aki = byOid.get(Extension.authorityKeyIdentifier);
        if (aki == null) {
            problems.add("no authorityKeyIdentifier");
        } else {
            if (aki.isCritical()) {
                problems.add("authorityKeyIdentifier is critical");
            }
            byte[] keyId = AuthorityKeyIdentifier.getInstance(aki.getParsedValue()).getKeyIdentifierOctets();
            Extension caSki = ca.getExtensions() == null ? null
                    : ca.getExtensions().getExtension(Extension.subjectKeyIdentifier);
            if (keyId == null || caSki == null || !Arrays.equals(keyId,
                    SubjectKeyIdentifier.getInstance(caSki.getParsedValue()).getKeyIdentifier())) {
                problems.add("authorityKeyIdentifier's keyIdentifier is not the CA's subjectKeyIdentifier");
            }
        }
        boolean emptySubject = tbs.getSubject().getRDNs().length == 0;
        Extension san = byOid.get(Extension.subjectAlternativeName);
        if (san == null) {
            if (emptySubject) {
                problems.add("an empty subject without subjectAltName");
            }
        } else {
            if (san.isCritical() != emptySubject) {
                problems.add("subjectAltName is " + (san.isCritical() ? "" : "not ") + "critical with a"
                        + (emptySubject ? "n empty" : " non-empty") + " subject");
            }
            lintGeneralNames(GeneralNames.getInstance(san.getParsedValue()), problems);
        }
        Extension eku = byOid.get(Extension.extendedKeyUsage);
        if (eku != null && ExtendedKeyUsage.getInstance(eku.getParsedValue()).getUsages().length == 0) {
            problems.add("extKeyUsage is empty");
        }
    }

    private static ASN1Encodable extensionsOf(ASN1Sequence tbs) {
        for (ASN1Encodable element : tbs) {
            if (element instanceof org.bouncycastle.asn1.ASN1TaggedObject tagged && tagged.hasContextTag(3)) {
                return tagged.getExplicitBaseObject();
            }
        }
        return null;
    }

    private static void lintGeneralNames(GeneralNames names, List<String> problems) {
        if (names.getNames().length == 0) {
            problems.add("subjectAltName is empty");
        }
        for (GeneralName name : names.getNames()) {
            switch (name.getTagNo()) {
            case GeneralName.dNSName, GeneralName.rfc822Name, GeneralName.uniformResourceIdentifier -> {
                byte[] octets = ASN1IA5String.getInstance(name.getName()).getOctets();
                if (octets.length == 0) {
                    problems.add("subjectAltName holds an empty IA5String");
                }
                for (byte b : octets) {
                    if ((b & 0xff) < 0x21 || (b & 0xff) > 0x7e) {
                        problems.add(String.format("subjectAltName holds the byte 0x%02X in an IA5String name",
                                b & 0xff));
                        break;
                    }
                }
            }
            case GeneralName.iPAddress -> {
                int length = ASN1OctetString.getInstance(name.getName()).getOctets().length;
                if (length != 4 && length != 16) {
                    problems.add("subjectAltName holds an iPAddress of " + length + " octets");
                }
            }
            default -> problems.add("subjectAltName holds a GeneralName of tag " + name.getTagNo());
            }
        }
    }

    /** The DER contents octets of a primitive with a one-byte tag. */
    private static byte[] contents(ASN1Primitive value) {
        try {
            byte[] encoded = value.getEncoded(ASN1Encoding.DER);
            int length = encoded[1] & 0xff;
            int start = length < 0x80 ? 2 : 2 + (length & 0x7f);
            return Arrays.copyOfRange(encoded, start, encoded.length);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
