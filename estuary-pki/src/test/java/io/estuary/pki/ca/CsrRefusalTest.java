package io.estuary.pki.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.CertificateLint;
import io.estuary.testkit.TestCsrs;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.MalformedRequestException;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.CsrAttributes;
import io.estuary.pki.policy.CsrPolicy;
import io.estuary.pki.policy.InvalidCsrException;

/** Every malformed field the CA would otherwise sign is refused with a clear reason (a 400, never a 500). */
class CsrRefusalTest {
    private static final CertificateProfile DEVICE = CertificateProfile.deviceIdentity(Duration.ofDays(30));
    private static final CertificateProfile WILDCARDS = new CertificateProfile("tls-wildcard", "estuary-ca",
            Duration.ofDays(30), 2048, Set.of("P-256"), List.of(KeyPurposeId.id_kp_serverAuth), false,
            Optional.empty(), Optional.empty(), true, true, Optional.empty(), Optional.empty(), Optional.empty(), true,
            true, CertificateProfile.DEFAULT_SIGNATURE_ALGORITHMS);
    private static final KeyPair EC = TestCsrs.ecP256();
    private static final X500Name CN = new X500Name("CN=device");

    /** The reason a CSR is refused with, wherever it is refused: parsing or the profile's policy. */
    private static String refusal(byte[] der, CertificateProfile profile) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> CsrPolicy.check(
                CertificationRequest.fromBody(Base64Body.encode(der)), profile));
        assertTrue(e instanceof InvalidCsrException || e instanceof MalformedRequestException,
                () -> "not a 400: " + e);
        // The signer parses without the signature check, and refuses the same.
        RuntimeException signer = assertThrows(RuntimeException.class, () -> CertificateAuthorityTest
                .softwareCa(Duration.ofDays(365)).issue(CertificationRequest.fromDerUnverified(der), profile,
                        Instant.now()));
        assertTrue(signer instanceof InvalidCsrException || signer instanceof MalformedRequestException,
                () -> "not a rejection: " + signer);
        return e.getMessage();
    }

    private static String refusal(byte[] der) {
        return refusal(der, DEVICE);
    }

    private static void accepted(byte[] der, CertificateProfile profile) {
        CertificateAuthority ca = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        CertificationRequest csr = CertificationRequest.fromDer(der);
        CsrPolicy.check(csr, profile);
        CertificateLint.check(ca.issue(csr, profile, Instant.now()).certificate(), ca.certificate());
    }

    private static byte[] san(GeneralName... names) {
        return TestCsrs.csrWithSubjectAltName("device", EC, names);
    }

    private static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, new DERIA5String(name));
    }

    @Test
    void subjectAltNameEntriesMustBeWellFormedForTheirType() throws Exception {
        accepted(san(dns("device-1.example.com"), new GeneralName(GeneralName.iPAddress, "192.0.2.1"),
                new GeneralName(GeneralName.iPAddress, "2001:db8::1"),
                new GeneralName(GeneralName.rfc822Name, "ops+device@example.com"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/device/1"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")),
                DEVICE);
        assertEquals("the CSR's subjectAltName holds a control character (U+0000) in dNSName",
                refusal(san(dns("bank.example\u0000.evil.example"))));
        assertTrue(refusal(san(dns("a\r\nb.example"))).contains("control character (U+000D)"));
        assertEquals("the CSR's subjectAltName holds an 8-bit byte (0xE9) in dNSName, which is an IA5String (7-bit)",
                refusal(san(dns("caf\u00e9.example"))));
        for (String notAHost : new String[] { "under_score.example", "-lead.example", "trail-.example",
                "a..example", "example.com.", "exa mple.com", "x".repeat(64) + ".example",
                ("a".repeat(60) + ".").repeat(5) + "example" }) {
            assertTrue(refusal(san(dns(notAHost))).contains("is not a host name"), notAHost);
        }
        assertTrue(refusal(san(dns("*.example.com"))).contains("which profile 'device-identity' does not issue"));
        accepted(san(dns("*.example.com")), WILDCARDS);
        assertTrue(refusal(san(dns("*.com")), WILDCARDS).contains("a wildcard stands for one label"));
        assertTrue(refusal(san(dns("a.*.example.com")), WILDCARDS).contains("is not a host name"));
        assertTrue(refusal(san(dns("*"))).contains("is not a host name"));
        for (String notAMailbox : new String[] { "no-at-sign", "a@b@example.com", "@example.com", "user@",
                "user@-bad.example", ".user@example.com", "us..er@example.com", "\"quoted\"@example.com" }) {
            assertTrue(refusal(san(new GeneralName(GeneralName.rfc822Name, new DERIA5String(notAMailbox))))
                    .contains("is not a mailbox"), notAMailbox);
        }
        for (String notAUri : new String[] { "relative/path", "//example.com/x", "http://exa_mple.com/",
                "http://example.com/{x}" }) {
            assertTrue(refusal(san(new GeneralName(GeneralName.uniformResourceIdentifier,
                    new DERIA5String(notAUri)))).contains("is not an absolute URI"), notAUri);
        }
        assertTrue(refusal(san(new GeneralName(GeneralName.uniformResourceIdentifier,
                new DERIA5String("http://example.com/ x")))).contains("is not an absolute URI"));
        assertEquals("the CSR's subjectAltName holds an iPAddress of 5 bytes (IPv4 has 4, IPv6 16)",
                refusal(san(new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[5])))));
        assertEquals("the CSR's subjectAltName holds an empty dNSName", refusal(san(dns(""))));
        assertEquals("the CSR's subjectAltName is empty", refusal(san()));
    }

    @Test
    void subjectAltNameTypesTheCaCannotVouchForAreRefused() {
        var otherName = new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
                new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"),
                new org.bouncycastle.asn1.DERTaggedObject(true, 0, new DERUTF8String("admin@example.com")) }));
        assertEquals("the CSR's subjectAltName holds a otherName, which is not issued (only dNSName, rfc822Name,"
                + " uniformResourceIdentifier and iPAddress are)", refusal(san(otherName)));
        assertTrue(refusal(san(new GeneralName(new X500Name("CN=root")))).contains("holds a directoryName"));
        assertTrue(refusal(san(new GeneralName(GeneralName.registeredID, new ASN1ObjectIdentifier("1.2.3"))))
                .contains("holds a registeredID"));
    }

    @Test
    void repeatedExtensionsAndExtensionRequestsAreRefused() throws Exception {
        Extension dnsA = new Extension(Extension.subjectAlternativeName, false,
                new GeneralNames(dns("a.example")).getEncoded());
        Extension dnsB = new Extension(Extension.subjectAlternativeName, false,
                new GeneralNames(dns("b.example")).getEncoded());
        assertEquals("the CSR's extensionRequest holds the extension 2.5.29.17 more than once",
                refusal(TestCsrs.signedRequest(TestCsrs.requestInfo(CN, EC, TestCsrs.extensionRequest(dnsA, dnsB)),
                        EC.getPrivate(), "SHA256withECDSA")));

        // A second extensionRequest asking CA:TRUE was read past, and on edge-ca the CA issued CA:FALSE.
        Extension ca = new Extension(Extension.basicConstraints, true, new BasicConstraints(0).getEncoded());
        byte[] twoRequests = TestCsrs.signedRequest(TestCsrs.requestInfo(CN, EC, TestCsrs.extensionRequest(dnsA),
                TestCsrs.extensionRequest(ca)), EC.getPrivate(), "SHA256withECDSA");
        assertEquals("the CSR holds more than one extensionRequest attribute", refusal(twoRequests, edgeCa()));

        assertEquals("the CSR's extensionRequest is not a sequence of extensions", refusal(TestCsrs.signedRequest(
                TestCsrs.requestInfo(CN, EC, new Attribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                        new DERSet(new ASN1Integer(1)))), EC.getPrivate(), "SHA256withECDSA")));
        assertEquals("the CSR's requested extension basicConstraints is malformed", refusal(TestCsrs.signedRequest(
                TestCsrs.requestInfo(CN, EC, TestCsrs.extensionRequest(new Extension(Extension.basicConstraints, true,
                        new DERUTF8String("yes").getEncoded()))), EC.getPrivate(), "SHA256withECDSA")));
    }

    @Test
    void attributesMustHaveTheirPkcs9Types() {
        Function<ASN1Encodable, byte[]> withPassword = value -> TestCsrs.signedRequest(TestCsrs.requestInfo(CN, EC,
                new Attribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERSet(value))),
                EC.getPrivate(), "SHA256withECDSA");
        accepted(withPassword.apply(new DERUTF8String("tls-unique:AbC=")), DEVICE);
        accepted(withPassword.apply(new DERPrintableString("secret")), DEVICE);
        assertEquals("the CSR's challengePassword is a Integer, not a DirectoryString",
                refusal(withPassword.apply(new ASN1Integer(42))));
        assertEquals("the CSR's challengePassword is not valid UTF-8",
                refusal(withPassword.apply(utf8(new byte[] { (byte) 0xC0, (byte) 0xAF }))));
        assertEquals("the CSR's challengePassword must have 1 to 255 characters",
                refusal(withPassword.apply(new DERUTF8String(""))));
        byte[] twoValues = TestCsrs.signedRequest(TestCsrs.requestInfo(CN, EC,
                new Attribute(PKCSObjectIdentifiers.pkcs_9_at_unstructuredName,
                        new DERSet(new ASN1Encodable[] { new DERUTF8String("a"), new DERUTF8String("b") }))),
                EC.getPrivate(), "SHA256withECDSA");
        assertEquals("the CSR's attribute 1.2.840.113549.1.9.2 holds 2 values (one is expected)", refusal(twoValues));
        byte[] twice = TestCsrs.signedRequest(TestCsrs.requestInfo(CN, EC,
                new Attribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERSet(new DERUTF8String("a"))),
                new Attribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERSet(new DERUTF8String("b")))),
                EC.getPrivate(), "SHA256withECDSA");
        assertEquals("the CSR holds the attribute 1.2.840.113549.1.9.7 more than once", refusal(twice));
        assertEquals("body is not a DER PKCS#10 certification request", refusal(TestCsrs.signedRequest(
                TestCsrs.requestInfo(CN, EC, new DERSequence(new ASN1Integer(7))), EC.getPrivate(), "SHA256withECDSA")));
    }

    @Test
    void onlyVersionZeroIsAccepted() {
        for (BigInteger version : new BigInteger[] { BigInteger.ONE, BigInteger.valueOf(-1),
                BigInteger.TWO.pow(200) }) {
            byte[] der = TestCsrs.signedRequest(TestCsrs.requestInfo(version, CN,
                    SubjectPublicKeyInfo.getInstance(EC.getPublic().getEncoded())), EC.getPrivate(),
                    "SHA256withECDSA");
            assertTrue(refusal(der).endsWith(": PKCS#10 defines only version 0 (v1)"), version.toString());
        }
        assertEquals("the CSR's version is of 201 bits: PKCS#10 defines only version 0 (v1)",
                refusal(TestCsrs.signedRequest(TestCsrs.requestInfo(BigInteger.TWO.pow(200), CN,
                        SubjectPublicKeyInfo.getInstance(EC.getPublic().getEncoded())), EC.getPrivate(),
                        "SHA256withECDSA")));
    }

    @Test
    void rsaExponentsMustBeOddAndAtLeast65537() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(3)));
        KeyPair three = generator.generateKeyPair();
        assertEquals("the CSR's RSA public exponent 3 is refused: it must be odd, at least 65537 and below 2^256",
                refusal(TestCsrs.csr("d", three)));
        // An even exponent cannot sign: the key is made up, and refused before any signature is checked.
        var modulus = ((java.security.interfaces.RSAPublicKey) three.getPublic()).getModulus();
        var evenKey = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
                org.bouncycastle.asn1.DERNull.INSTANCE),
                new org.bouncycastle.asn1.pkcs.RSAPublicKey(modulus, BigInteger.valueOf(65538)));
        assertTrue(refusal(TestCsrs.signedRequest(TestCsrs.requestInfo(BigInteger.ZERO, CN, evenKey),
                EC.getPrivate(), "SHA256withECDSA")).startsWith("the CSR's RSA public exponent 65538 is refused"));
    }

    @Test
    void ecKeysMustNameTheirCurve() throws Exception {
        // Explicit parameters are how CVE-2020-0601 passed off a forged generator as a known curve.
        var named = SubjectPublicKeyInfo.getInstance(EC.getPublic().getEncoded());
        X9ECParameters params = ECNamedCurveTable.getByName("secp256r1");
        var explicit = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                new X9ECParameters(params.getCurve(), params.getBaseEntry(), params.getN(), params.getH(),
                        params.getSeed())), named.getPublicKeyData().getBytes());
        byte[] der = TestCsrs.signedRequest(TestCsrs.requestInfo(BigInteger.ZERO, CN, explicit), EC.getPrivate(),
                "SHA256withECDSA");
        assertEquals("the CSR's EC key does not name its curve: explicit or implicit curve parameters are refused",
                refusal(der));
    }

    @Test
    void weakOrUnlistedSignatureAlgorithmsAreRefused() throws Exception {
        KeyPair rsa = TestCsrs.rsa(2048);
        assertEquals("the CSR is signed with MD5WITHRSA, which profile 'device-identity' does not accept (accepted: "
                + String.join(", ", CertificateProfile.DEFAULT_SIGNATURE_ALGORITHMS) + ")",
                refusal(TestCsrs.signedRequest(TestCsrs.requestInfo(CN, rsa), rsa.getPrivate(), "MD5withRSA")));
        assertTrue(refusal(TestCsrs.signedRequest(TestCsrs.requestInfo(CN, rsa), rsa.getPrivate(), "SHA1withRSA"))
                .startsWith("the CSR is signed with SHA1WITHRSA"));
        String sha1Ecdsa = refusal(TestCsrs.signedRequest(TestCsrs.requestInfo(CN, EC), EC.getPrivate(),
                "SHA1withECDSA"));
        assertTrue(sha1Ecdsa.startsWith("the CSR is signed with ECDSAWITHSHA1"), sha1Ecdsa);

        CertificateProfile onlySha384 = new CertificateProfile("strict", "estuary-ca", Duration.ofDays(30), 0,
                Set.of("P-256"), List.of(KeyPurposeId.id_kp_clientAuth), false, Optional.empty(), Optional.empty(),
                true, true, Optional.empty(), Optional.empty(), Optional.empty(), true, false,
                List.of("SHA384withECDSA"));
        assertEquals("the CSR is signed with SHA256WITHECDSA, which profile 'strict' does not accept (accepted:"
                + " SHA384withECDSA)", refusal(TestCsrs.csr("d", EC), onlySha384));
        accepted(TestCsrs.signedRequest(TestCsrs.requestInfo(CN, EC), EC.getPrivate(), "SHA384withECDSA"),
                onlySha384);
        assertThrows(IllegalArgumentException.class, () -> new CertificateProfile("md5", "ca", Duration.ofDays(1),
                2048, Set.of(), List.of(), false, Optional.empty(), Optional.empty(), true, true, Optional.empty(),
                Optional.empty(), Optional.empty(), true, false, List.of("MD5withRSA")));

        // csrattrs names exactly the accepted algorithms, for the key types accepted.
        var oids = List.of(CsrAttrs.getInstance(CsrAttributes.forProfile(onlySha384).orElseThrow()).getAttrOrOIDs())
                .stream().filter(a -> a.isOid()).map(a -> a.getOid()).toList();
        assertEquals(List.of(X9ObjectIdentifiers.ecdsa_with_SHA384), oids);
        var deviceOids = List.of(CsrAttrs.getInstance(CsrAttributes.forProfile(DEVICE).orElseThrow())
                .getAttrOrOIDs()).stream().filter(a -> a.isOid()).map(a -> a.getOid()).toList();
        assertEquals(List.of(PKCSObjectIdentifiers.rsaEncryption, X9ObjectIdentifiers.ecdsa_with_SHA256,
                X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512,
                PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
                PKCSObjectIdentifiers.sha512WithRSAEncryption), deviceOids);
    }

    @Test
    void subjectValuesMustBeWellFormedStrings() {
        Function<ASN1Encodable, byte[]> withCn = value -> TestCsrs.signedRequest(TestCsrs.requestInfo(
                new X500Name(new RDN[] { new RDN(new AttributeTypeAndValue(BCStyle.CN, value)) }), EC),
                EC.getPrivate(), "SHA256withECDSA");
        accepted(withCn.apply(new DERUTF8String("caf\u00e9 \ud83d\ude00")), DEVICE);
        assertEquals("the CSR's subject holds a Sequence in CN: only UTF8String and PrintableString (IA5String in"
                + " emailAddress and DC) are issued", refusal(withCn.apply(new DERSequence(new DERUTF8String("x")))));
        // Overlong '/', an encoded lone surrogate (U+D800), a byte UTF-8 never uses.
        for (byte[] invalid : new byte[][] { { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                { 'a', (byte) 0xFF } }) {
            assertEquals("the CSR's subject holds invalid UTF-8 in CN", refusal(withCn.apply(utf8(invalid))));
        }
        assertTrue(refusal(withCn.apply(new DERBMPString("\ud800"))).startsWith("the CSR's subject holds a BMPString"));
        assertEquals("the CSR's subject holds a PrintableString with a character outside its set in CN",
                refusal(withCn.apply(new DERPrintableString("a@b"))));
        assertEquals("the CSR's subject holds an empty CN", refusal(withCn.apply(new DERUTF8String(""))));
        assertEquals("the CSR's subject holds a country (C) that is not two letters in a PrintableString",
                refusal(TestCsrs.csr("d,C=USA", EC)));
    }

    @Test
    void aCsrThatIsNotDerIsRefused() throws Exception {
        byte[] der = TestCsrs.csr("d", EC);
        // The same request with its outer length on one octet more than needed: valid BER, not DER.
        assertEquals((byte) 0x81, der[1], "a request of 128 to 255 bytes");
        byte[] ber = new byte[der.length + 1];
        ber[0] = 0x30;
        ber[1] = (byte) 0x82;
        ber[2] = 0;
        System.arraycopy(der, 2, ber, 3, der.length - 2);
        assertEquals("the CSR is not DER-encoded (X.690 distinguished encoding)", refusal(ber));
    }

    @Test
    void theCaCopiesTheCheckedSubjectAltNameCriticalOnlyWithAnEmptySubject() throws Exception {
        CertificateAuthority ca = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        CertificateProfile emptySubject = new CertificateProfile("no-subject", "estuary-ca", Duration.ofDays(30),
                2048, Set.of("P-256"), List.of(KeyPurposeId.id_kp_clientAuth), false, Optional.of(new X500Name(
                        new RDN[0])), Optional.empty(), true, true);
        var csr = CertificationRequest.fromDer(san(dns("device.example")));
        var withSubject = ca.issue(csr, DEVICE, Instant.now()).certificate();
        CertificateLint.check(withSubject, ca.certificate());
        assertTrue(withSubject.getNonCriticalExtensionOIDs().contains(Extension.subjectAlternativeName.getId()));
        var without = ca.issue(csr, emptySubject, Instant.now()).certificate();
        CertificateLint.check(without, ca.certificate());
        assertTrue(without.getCriticalExtensionOIDs().contains(Extension.subjectAlternativeName.getId()));
    }

    private static CertificateProfile edgeCa() {
        return new CertificateProfile("edge-ca", "estuary-ca", Duration.ofDays(90), 2048, Set.of("P-256", "P-384"),
                List.of(), true, Optional.empty(), Optional.empty(), true, true);
    }

    /** A UTF8String holding these bytes as they are, valid UTF-8 or not. */
    private static ASN1Primitive utf8(byte[] contents) {
        byte[] der = new byte[contents.length + 2];
        der[0] = 0x0C;
        der[1] = (byte) contents.length;
        System.arraycopy(contents, 0, der, 2, contents.length);
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
