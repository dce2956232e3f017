package io.estuary.pki.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.TestCsrs;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.CsrAttributes;
import io.estuary.pki.policy.CsrPolicy;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.policy.InvalidCsrException;
import io.estuary.pki.policy.ReenrollmentPolicy;
import io.estuary.pki.policy.ReenrollmentRefusedException;


/** What each kind of profile accepts and issues. */
class ProfilePolicyTest {
    private static final CertificateProfile DEVICE = CertificateProfile.deviceIdentity(Duration.ofDays(30));
    private static final CertificateProfile EDGE_CA = new CertificateProfile("edge-ca", "estuary-ca",
            Duration.ofDays(90), 2048, Set.of("P-256", "P-384"), List.of(), true, Optional.empty(), Optional.empty(),
            true, true);
    private static final CertificateProfile TLS_SERVER = new CertificateProfile("tls-server", "estuary-ca",
            Duration.ofDays(90), 2048, Set.of("P-256"), List.of(KeyPurposeId.id_kp_serverAuth), false,
            Optional.empty(), Optional.of("fixed.example"), true, false);

    private static CertificationRequest csr(byte[] der) {
        return CertificationRequest.fromDer(der);
    }

    @Test
    void weakOrUnlistedKeysAreRefusedWithTheReason() {
        InvalidCsrException rsa = assertThrows(InvalidCsrException.class,
                () -> CsrPolicy.check(csr(TestCsrs.csr("d", TestCsrs.rsa(1024))), DEVICE));
        assertEquals("RSA-1024 is too weak: profile 'device-identity' needs at least 2048 bits", rsa.getMessage());
        InvalidCsrException curve = assertThrows(InvalidCsrException.class,
                () -> CsrPolicy.check(csr(TestCsrs.csr("d", TestCsrs.ec("secp521r1"))), DEVICE));
        assertEquals("EC curve P-521 is not accepted by profile 'device-identity' (accepted: P-256, P-384)",
                curve.getMessage());
        CsrPolicy.check(csr(TestCsrs.csr("d", TestCsrs.ec("secp384r1"))), DEVICE);
        CsrPolicy.check(csr(TestCsrs.csr("d", TestCsrs.rsa(2048))), DEVICE);
    }

    @Test
    void aSubjectTooLongOrWithControlCharactersIsRefused() {
        CsrPolicy.check(csr(TestCsrs.csr("d".repeat(1000), TestCsrs.ecP256())), DEVICE);
        InvalidCsrException tooLong = assertThrows(InvalidCsrException.class,
                () -> CsrPolicy.check(csr(TestCsrs.csr("d".repeat(1020), TestCsrs.ecP256())), DEVICE));
        assertEquals("the CSR's subject is 1041 bytes long (DER); at most 1024 are issued", tooLong.getMessage());
        InvalidCsrException nul = assertThrows(InvalidCsrException.class,
                () -> CsrPolicy.check(csr(TestCsrs.csr("bank.example\u0000.evil.example", TestCsrs.ecP256())), DEVICE));
        assertEquals("the CSR's subject holds a control character (U+0000) in CN", nul.getMessage());
        assertThrows(InvalidCsrException.class,
                () -> CsrPolicy.check(csr(TestCsrs.csr("two\nlines", TestCsrs.ecP256())), DEVICE));
        // Where the profile names the subject, the CSR's is not issued, so its length does not matter.
        CsrPolicy.check(csr(TestCsrs.csr("d".repeat(5000), TestCsrs.ecP256())), TLS_SERVER);
    }

    @Test
    void anEcKeyIsKnownByTheCurveItNames() {
        // Explicit curve parameters are refused when the request is parsed (CsrRefusalTest).
        assertEquals(SECObjectIdentifiers.secp384r1,
                csr(TestCsrs.csr("d", TestCsrs.ec("secp384r1"))).namedCurve());
        assertNull(csr(TestCsrs.csr("d", TestCsrs.rsa(2048))).namedCurve());
    }

    @Test
    void aCaRequestIsHonouredOnlyWhereTheProfileAllowsIt() throws Exception {
        byte[] edgeCsr = TestCsrs.edgeCaCsr("aziot-edge CA my-device", TestCsrs.rsa(2048));
        InvalidCsrException refused = assertThrows(InvalidCsrException.class,
                () -> CsrPolicy.check(csr(edgeCsr), DEVICE));
        assertTrue(refused.getMessage().contains("does not issue"), refused.getMessage());

        CertificateAuthority ca = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        X509Certificate issued = ca.issue(csr(edgeCsr), EDGE_CA, Instant.now()).certificate();
        assertEquals(0, issued.getBasicConstraints(), "CA:TRUE, pathlen:0");
        assertTrue(issued.getKeyUsage()[5], "keyCertSign");
        assertNull(issued.getExtendedKeyUsage());
        assertEquals("CN=aziot-edge CA my-device", issued.getSubjectX500Principal().getName());
        issued.verify(ca.certificate().getPublicKey());

        // The same profile issues an end-entity certificate for a CSR that does not ask for CA.
        X509Certificate leaf = ca.issue(csr(TestCsrs.csr("leaf", TestCsrs.ecP256())), EDGE_CA, Instant.now())
                .certificate();
        assertEquals(-1, leaf.getBasicConstraints());
    }

    @Test
    void profileSubjectAndUsagesWin() throws Exception {
        CertificateAuthority ca = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        X509Certificate issued = ca.issue(csr(TestCsrs.csr("ignored", TestCsrs.ecP256())), TLS_SERVER,
                Instant.now()).certificate();
        assertEquals("CN=fixed.example", issued.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), issued.getExtendedKeyUsage());
    }

    @Test
    void crlAndAiaUrlsAreIssuedWhenConfigured() throws Exception {
        CertificateProfile withUrls = new CertificateProfile("published", "estuary-ca", Duration.ofDays(30), 2048,
                Set.of("P-256"), List.of(KeyPurposeId.id_kp_clientAuth), false, Optional.empty(), Optional.empty(),
                true, true, Optional.of("http://pki.example/ca.crl"), Optional.of("http://pki.example/ca.cer"),
                Optional.of("http://ocsp.example"), false);
        CertificateAuthority ca = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        X509Certificate issued = ca.issue(csr(TestCsrs.csr("d", TestCsrs.ecP256())), withUrls, Instant.now())
                .certificate();
        var holder = new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(issued);
        var crl = org.bouncycastle.asn1.x509.CRLDistPoint.fromExtensions(holder.getExtensions());
        assertTrue(crl.toString().contains("http://pki.example/ca.crl"), crl.toString());
        var aia = org.bouncycastle.asn1.x509.AuthorityInformationAccess.fromExtensions(holder.getExtensions());
        assertEquals(2, aia.getAccessDescriptions().length);
        assertNull(new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(ca.issue(
                csr(TestCsrs.csr("d", TestCsrs.ecP256())), DEVICE, Instant.now()).certificate())
                .getExtension(org.bouncycastle.asn1.x509.Extension.authorityInfoAccess), "nothing unless configured");

        // Re-enrollment: same key refused where the profile forbids reuse, a new key accepted.
        var key = TestCsrs.ecP256();
        X509Certificate current = ca.issue(csr(TestCsrs.csr("renew-me", key)), withUrls, Instant.now()).certificate();
        assertThrows(ReenrollmentRefusedException.class,
                () -> ReenrollmentPolicy.check(csr(TestCsrs.csr("renew-me", key)), current, withUrls));
        ReenrollmentPolicy.check(csr(TestCsrs.csr("renew-me", TestCsrs.ecP256())), current, withUrls);
        X509Certificate device = ca.issue(csr(TestCsrs.csr("renew-me", key)), DEVICE, Instant.now()).certificate();
        ReenrollmentPolicy.check(csr(TestCsrs.csr("renew-me", key)), device, DEVICE);
        assertThrows(ReenrollmentRefusedException.class,
                () -> ReenrollmentPolicy.check(csr(TestCsrs.csr("someone-else", key)), device, DEVICE));

        // Only at the label of the certificate's own profile: a device certificate is not renewed into an Edge CA.
        ReenrollmentRefusedException crossProfile = assertThrows(ReenrollmentRefusedException.class,
                () -> ReenrollmentPolicy.check(csr(TestCsrs.edgeCaCsr("renew-me", key)), device, EDGE_CA));
        assertTrue(crossProfile.getMessage().contains("not issued under profile 'edge-ca'"), crossProfile.getMessage());
        assertThrows(ReenrollmentRefusedException.class,
                () -> ReenrollmentPolicy.check(csr(TestCsrs.csr("renew-me", key)), current, DEVICE));
    }

    @Test
    void csrAttributesDescribeTheProfile() throws Exception {
        CsrAttrs attrs = CsrAttrs.getInstance(CsrAttributes.forProfile(DEVICE).orElseThrow());
        var items = List.of(attrs.getAttrOrOIDs());
        var keyAttribute = items.stream().filter(i -> !i.isOid()).findFirst().orElseThrow().getAttribute();
        assertEquals(X9ObjectIdentifiers.id_ecPublicKey, keyAttribute.getAttrType());
        assertEquals(Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1),
                Set.of(keyAttribute.getAttributeValues()).stream().map(ASN1ObjectIdentifier.class::cast)
                        .collect(java.util.stream.Collectors.toSet()));
        assertTrue(items.stream().anyMatch(i -> i.isOid() && i.getOid().equals(X9ObjectIdentifiers.ecdsa_with_SHA256)));
        assertTrue(CsrAttributes.forProfile(TLS_SERVER).isEmpty(), "a profile may advertise nothing");
    }

    @Test
    void labelsAreCheckedWhenConfigured() {
        Map<String, CertificateProfile> profiles = Map.of("device-identity", DEVICE, "edge-ca", EDGE_CA);
        EstLabels labels = new EstLabels(profiles, Map.of("edge", "edge-ca"), "device-identity");
        assertEquals(EDGE_CA, labels.profileFor("edge").orElseThrow());
        assertEquals(DEVICE, labels.profileFor("").orElseThrow());
        assertTrue(labels.profileFor("nope").isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> new EstLabels(profiles, Map.of("simpleenroll", "edge-ca"), "device-identity"));
        assertThrows(IllegalArgumentException.class,
                () -> new EstLabels(profiles, Map.of("edge", "missing"), "device-identity"));
        assertThrows(IllegalArgumentException.class,
                () -> new EstLabels(profiles, Map.of("bad/label", "edge-ca"), "device-identity"));
        assertThrows(IllegalArgumentException.class, () -> new EstLabels(profiles, Map.of(), "missing"));
        assertThrows(IllegalArgumentException.class, () -> new CertificateProfile("weak", "ca", Duration.ofDays(1),
                1024, Set.of(), List.of(), false, Optional.empty(), Optional.empty(), true, true));
        assertEquals("CN=x", new X500Name("CN=x").toString());
    }

    @Test
    void requestIdsAreStableAndDistinguishTheirInputs() {
        byte[] der = TestCsrs.csr("d", TestCsrs.ecP256());
        String id = EnrollmentRequestId.of("alice", "", "simpleenroll", der);
        assertEquals(id, EnrollmentRequestId.of("alice", "", "simpleenroll", der.clone()));
        assertTrue(!id.equals(EnrollmentRequestId.of("bob", "", "simpleenroll", der)));
        assertTrue(!id.equals(EnrollmentRequestId.of("alice", "edge-ca", "simpleenroll", der)));
        assertTrue(!id.equals(EnrollmentRequestId.of("alice", "", "simplereenroll", der)));
        assertEquals(64, id.length());
    }
}
