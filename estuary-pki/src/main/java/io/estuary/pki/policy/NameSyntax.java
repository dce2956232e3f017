package io.estuary.pki.policy;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The syntax of the names the CA copies from a CSR into a certificate: subject attribute values (RFC 5280 §4.1.2.4,
 * §4.1.2.6) and subjectAltName entries (§4.2.1.6). A name a relying party might read differently from the CA (a NUL,
 * 8-bit bytes in an IA5String, invalid UTF-8) is refused rather than passed on.
 */
final class NameSyntax {
    private static final String[] GENERAL_NAME_TYPES = { "otherName", "rfc822Name", "dNSName", "x400Address",
            "directoryName", "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID" };
    private static final String ATEXT = "!#$%&'*+-/=?^_`{|}~";

    private NameSyntax() {
    }

    /**
     * Every subject attribute value must be a UTF8String of valid UTF-8 or a PrintableString of its character set
     * (RFC 5280 §4.1.2.6: what a CA issues), or an IA5String in emailAddress and DC; none may be empty or hold a
     * control character, and a country is two letters.
     */
    static void checkSubject(X500Name subject) {
        for (RDN rdn : subject.getRDNs()) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            if (values.length == 0) {
                throw new InvalidCsrException("the CSR's subject holds an empty RDN");
            }
            // Bouncy Castle reads the type and the value and would copy anything after them into the certificate.
            for (org.bouncycastle.asn1.ASN1Encodable element : org.bouncycastle.asn1.ASN1Set.getInstance(rdn)) {
                if (!(element instanceof org.bouncycastle.asn1.ASN1Sequence pair) || pair.size() != 2) {
                    throw new InvalidCsrException("the CSR's subject holds an attribute that is not a type and a"
                            + " value");
                }
            }
            for (AttributeTypeAndValue value : values) {
                checkSubjectValue(value);
            }
        }
    }

    private static void checkSubjectValue(AttributeTypeAndValue attribute) {
        ASN1ObjectIdentifier type = attribute.getType();
        String name = BCStyle.INSTANCE.oidToDisplayName(type);
        if (name == null) {
            name = type.getId();
        }
        ASN1Primitive value = attribute.getValue().toASN1Primitive();
        String text;
        if (value instanceof ASN1UTF8String) {
            text = strictUtf8(contents(value), "the CSR's subject holds invalid UTF-8 in " + name);
        } else if (value instanceof ASN1PrintableString printable) {
            text = printable.getString();
            if (!ASN1PrintableString.isPrintableString(text)) {
                throw new InvalidCsrException("the CSR's subject holds a PrintableString with a character outside"
                        + " its set in " + name);
            }
        } else if (value instanceof ASN1IA5String ia5 && (type.equals(BCStyle.EmailAddress) || type.equals(BCStyle.DC))) {
            text = ia5.getString();
            checkIa5(ia5.getOctets(), "the CSR's subject", name);
        } else {
            throw new InvalidCsrException("the CSR's subject holds a " + typeName(value) + " in " + name
                    + ": only UTF8String and PrintableString (IA5String in emailAddress and DC) are issued");
        }
        if (text.isEmpty()) {
            throw new InvalidCsrException("the CSR's subject holds an empty " + name);
        }
        // NUL is the classic trick against name checks that stop at it (bank.example\0.evil.example); the stores
        // cannot hold it either.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidCsrException(String.format("the CSR's subject holds a control character (U+%04X)"
                        + " in %s", (int) c, name));
            }
        }
        if (type.equals(BCStyle.C) && !(value instanceof ASN1PrintableString && text.length() == 2)) {
            throw new InvalidCsrException("the CSR's subject holds a country (C) that is not two letters in a"
                    + " PrintableString");
        }
    }

    /**
     * The CSR's subjectAltName as the CA copies it, each entry well-formed for its type: dNSName a host name (a
     * leading {@code *.} only where the profile allows wildcards), rfc822Name a mailbox, URI an absolute URI, all three
     * IA5String without control characters or 8-bit bytes; iPAddress 4 or 16 octets. Other types are refused: the CA
     * cannot vouch for what they mean.
     */
    static GeneralNames subjectAltName(Extension extension, CertificateProfile profile) {
        byte[] octets = extension.getExtnValue().getOctets();
        GeneralNames names;
        try {
            names = GeneralNames.getInstance(ASN1Primitive.fromByteArray(octets));
            if (!Arrays.equals(names.getEncoded(ASN1Encoding.DER), octets)) {
                throw new IllegalArgumentException("not DER");
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("the CSR's subjectAltName is not a DER sequence of GeneralName");
        }
        GeneralName[] entries = names.getNames();
        if (entries.length == 0) {
            throw new InvalidCsrException("the CSR's subjectAltName is empty");
        }
        for (GeneralName entry : entries) {
            switch (entry.getTagNo()) {
            case GeneralName.dNSName -> checkDnsName(ia5(entry, "dNSName"), profile.allowWildcard(), profile.name());
            case GeneralName.rfc822Name -> checkMailbox(ia5(entry, "rfc822Name"));
            case GeneralName.uniformResourceIdentifier -> checkUri(ia5(entry, "uniformResourceIdentifier"));
            case GeneralName.iPAddress -> {
                int length = ASN1OctetString.getInstance(entry.getName()).getOctets().length;
                if (length != 4 && length != 16) {
                    throw new InvalidCsrException("the CSR's subjectAltName holds an iPAddress of " + length
                            + " bytes (IPv4 has 4, IPv6 16)");
                }
            }
            default -> throw new InvalidCsrException("the CSR's subjectAltName holds a "
                    + GENERAL_NAME_TYPES[entry.getTagNo()] + ", which is not issued (only dNSName, rfc822Name,"
                    + " uniformResourceIdentifier and iPAddress are)");
            }
        }
        return names;
    }

    private static String ia5(GeneralName entry, String type) {
        ASN1IA5String value = ASN1IA5String.getInstance(entry.getName());
        checkIa5(value.getOctets(), "the CSR's subjectAltName", type);
        if (value.getOctets().length == 0) {
            throw new InvalidCsrException("the CSR's subjectAltName holds an empty " + type);
        }
        return value.getString();
    }

    private static void checkIa5(byte[] octets, String where, String type) {
        for (byte b : octets) {
            int c = b & 0xff;
            if (c >= 0x80) {
                throw new InvalidCsrException(String.format("%s holds an 8-bit byte (0x%02X) in %s, which is an"
                        + " IA5String (7-bit)", where, c, type));
            }
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidCsrException(String.format("%s holds a control character (U+%04X) in %s", where, c,
                        type));
            }
        }
    }

    /** RFC 1123 host name syntax: labels of letters, digits and inner hyphens, 1 to 63 long, 253 in all. */
    private static void checkDnsName(String name, boolean allowWildcard, String profileName) {
        String host = name;
        if (name.startsWith("*.")) {
            if (!allowWildcard) {
                throw new InvalidCsrException("the CSR's subjectAltName holds the wildcard dNSName '" + shown(name)
                        + "', which profile '" + profileName + "' does not issue");
            }
            host = name.substring(2);
            if (host.indexOf('.') < 0) {
                throw new InvalidCsrException("the CSR's subjectAltName holds the wildcard dNSName '" + shown(name)
                        + "': a wildcard stands for one label under a domain of two labels or more");
            }
        }
        if (!isHostName(host)) {
            throw new InvalidCsrException("the CSR's subjectAltName holds the dNSName '" + shown(name) + "', which"
                    + " is not a host name (letters, digits and inner hyphens; labels of 1 to 63 characters, 253 in"
                    + " all)");
        }
    }

    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A mailbox (RFC 5321 §4.1.2) with an unquoted local part and a host name as its domain. */
    private static void checkMailbox(String mailbox) {
        int at = mailbox.indexOf('@');
        String local = at < 0 ? "" : mailbox.substring(0, at);
        String domain = at < 0 ? "" : mailbox.substring(at + 1);
        boolean localValid = !local.isEmpty() && local.length() <= 64 && !local.startsWith(".")
                && !local.endsWith(".") && !local.contains("..");
        for (int i = 0; localValid && i < local.length(); i++) {
            char c = local.charAt(i);
            localValid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || ATEXT.indexOf(c) >= 0;
        }
        if (!localValid || !isHostName(domain)) {
            throw new InvalidCsrException("the CSR's subjectAltName holds the rfc822Name '" + shown(mailbox)
                    + "', which is not a mailbox (local-part@host.name)");
        }
    }

    /** RFC 5280 §4.2.1.6: an absolute URI (RFC 3986); one with an authority names a host. */
    private static void checkUri(String text) {
        boolean valid;
        try {
            URI uri = new URI(text);
            valid = uri.isAbsolute() && !uri.getRawSchemeSpecificPart().isEmpty();
            if (valid && uri.getRawAuthority() != null) {
                String host = uri.getHost();
                valid = host != null && (host.startsWith("[") || isHostName(host));
            }
        } catch (URISyntaxException e) {
            valid = false;
        }
        if (!valid) {
            throw new InvalidCsrException("the CSR's subjectAltName holds the URI '" + shown(text) + "', which is not"
                    + " an absolute URI (with a host name where it has an authority)");
        }
    }

    private static String shown(String ascii) {
        return ascii.length() <= 80 ? ascii : ascii.substring(0, 80) + "…";
    }

    /** The DER contents octets of a primitive with a one-byte tag (every universal string type). */
    private static byte[] contents(ASN1Primitive value) {
        try {
            byte[] encoded = value.getEncoded(ASN1Encoding.DER);
            int length = encoded[1] & 0xff;
            int start = length < 0x80 ? 2 : 2 + (length & 0x7f);
            return Arrays.copyOfRange(encoded, start, encoded.length);
        } catch (IOException e) {
            throw new InvalidCsrException("the CSR holds a value that cannot be encoded");
        }
    }

    /**
     * Decodes UTF-8 refusing what Bouncy Castle would stumble on later (its {@code getString()} throws on invalid
     * input): overlong forms, encoded surrogates, bytes that never occur in UTF-8.
     */
    static String strictUtf8(byte[] octets, String reason) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidCsrException(reason);
        }
    }

    static String utf8Contents(ASN1UTF8String value, String reason) {
        return strictUtf8(contents(value), reason);
    }

    /** An ASN.1 type's name for a message, e.g. {@code Sequence} or {@code BMPString}. */
    static String typeName(ASN1Primitive value) {
        return value.getClass().getSimpleName().replaceFirst("^(ASN1|DER|DL|BER)", "");
    }
}
