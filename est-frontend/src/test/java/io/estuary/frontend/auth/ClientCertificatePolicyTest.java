package io.estuary.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.estuary.frontend.auth.ClientCertificatePolicy.Kind;
import io.estuary.frontend.domain.ClientCertificateRefusedException;
import io.estuary.frontend.domain.ClientCertificateRefusedException.Refusal;
import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.ca.RevokedEntry;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.testkit.TestCsrs;

/** The checks the TLS handshake no longer makes: trust, validity now, and what a certificate may do. */
class ClientCertificatePolicyTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LIFETIME = Duration.ofDays(30);

    private final CertificateAuthority estuary = ca("Estuary CA");
    private final CertificateAuthority manufacturer = ca("Manufacturer CA");
    private final CertificateAuthority foreign = ca("Foreign CA");
    private List<X509CRL> manufacturerCrls = List.of();

    private static CertificateAuthority ca(String name) {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=" + name), key.getPublic(),
                key.getPrivate(), BC, Duration.ofDays(365), ISSUED.minus(Duration.ofDays(1)));
        return new CertificateAuthority(List.of(root), key.getPrivate(), BC);
    }

    private static X509Certificate issue(CertificateAuthority ca, String profile) {
        return issue(ca, profile, ISSUED);
    }

    private static X509Certificate issue(CertificateAuthority ca, String profile, Instant at) {
        CertificateProfile p = new CertificateProfile(profile, "x", LIFETIME, 2048, Set.of("P-256"),
                List.of(KeyPurposeId.id_kp_clientAuth), false, Optional.empty(), Optional.empty(), true, true);
        return ca.issue(CertificationRequest.fromDer(TestCsrs.csr("client", TestCsrs.ecP256())), p, at)
                .certificate();
    }

    /** The policy as it judges at the given moment. */
    private ClientCertificatePolicy policyAt(Instant now) {
        return new ClientCertificatePolicy(Map.of("default", Set.of(new TrustAnchor(manufacturer.certificate(), null))),
                Map.of("default", manufacturerCrls),
                "est-identity", Clock.fixed(now, ZoneOffset.UTC));
    }

    private Kind enroll(Instant now, String label, X509Certificate... chain) {
        return policyAt(now).requireEnrollment(chain, label, List.of(estuary.certificate()));
    }

    private Kind enroll(String label, X509Certificate... chain) {
        return enroll(ISSUED.plus(Duration.ofHours(1)), label, chain);
    }

    private static ClientCertificateRefusedException refused(Refusal expected, Executable call) {
        ClientCertificateRefusedException e = assertThrows(ClientCertificateRefusedException.class, call);
        assertEquals(expected, e.refusal(), e.getMessage());
        return e;
    }

    @Test
    void aBootstrapCertificateEnrollsOnItsLabelOnly() {
        X509Certificate idevid = issue(manufacturer, "anything");
        assertEquals(Kind.BOOTSTRAP, enroll("", idevid));
        String reason = refused(Refusal.NOT_ALLOWED, () -> enroll("edge-ca", idevid)).getMessage();
        assertTrue(reason.contains("bootstrap certificate of label 'default', not of label 'edge-ca'"), reason);
    }

    @Test
    void anEstuaryEstIdentityEnrollsEverywhereButADeviceCertificateNowhere() {
        X509Certificate identity = issue(estuary, "est-identity");
        assertEquals(Kind.EST_IDENTITY, enroll("", identity));
        assertEquals(Kind.EST_IDENTITY, enroll("edge-ca", identity));
        // aziot-certd sends the issued certificate followed by the chain from cacerts.
        assertEquals(Kind.EST_IDENTITY, enroll("edge-ca", identity, estuary.certificate()));
        X509Certificate device = issue(estuary, "device-identity");
        String reason = refused(Refusal.NOT_ALLOWED, () -> enroll("", device)).getMessage();
        assertTrue(reason.contains("not as an EST identity"), reason);
    }

    @Test
    void anEstIdentityPolicyFromAnotherCaIsNotAnEstIdentity() {
        // A manufacturer cannot mint EST identities by copying Estuary's policy OID...
        X509Certificate fromManufacturer = issue(manufacturer, "est-identity");
        refused(Refusal.NOT_ALLOWED, () -> enroll("edge-ca", fromManufacturer));
        // ... and neither can anybody else.
        X509Certificate fromStranger = issue(foreign, "est-identity");
        String reason = refused(Refusal.UNTRUSTED, () -> enroll("", fromStranger)).getMessage();
        assertTrue(reason.contains("'CN=client'") && reason.contains("issued by 'CN=Foreign CA'")
                && reason.contains("not from a CA Estuary trusts"), reason);
    }

    @Test
    void anExpiredEstIdentityIsRefusedAsExpiredWithItsExpiry() {
        X509Certificate identity = issue(estuary, "est-identity");
        Instant afterExpiry = identity.getNotAfter().toInstant().plusSeconds(1);
        ClientCertificateRefusedException e = refused(Refusal.OUTSIDE_VALIDITY,
                () -> enroll(afterExpiry, "", identity));
        assertEquals("client certificate 'CN=client' expired at " + identity.getNotAfter().toInstant(),
                e.getMessage());
        // Valid up to its last second.
        assertEquals(Kind.EST_IDENTITY, enroll(identity.getNotAfter().toInstant(), "", identity));
    }

    @Test
    void expiredAndNotYetValidBootstrapCertificatesGet401() {
        X509Certificate idevid = issue(manufacturer, "anything");
        refused(Refusal.OUTSIDE_VALIDITY, () -> enroll(idevid.getNotAfter().toInstant().plusSeconds(60), "", idevid));
        String reason = refused(Refusal.OUTSIDE_VALIDITY,
                () -> enroll(idevid.getNotBefore().toInstant().minusSeconds(60), "", idevid)).getMessage();
        assertTrue(reason.contains("is not valid before " + idevid.getNotBefore().toInstant()), reason);
    }

    @Test
    void aForgeryOfEstuarysCaNameIsUntrustedEvenWhenExpired() {
        // Same issuer name as Estuary's CA, another key: the signature fails before any date is looked at.
        CertificateAuthority impostor = ca("Estuary CA");
        X509Certificate forged = issue(impostor, "est-identity");
        refused(Refusal.UNTRUSTED, () -> enroll("", forged));
        refused(Refusal.UNTRUSTED, () -> enroll(forged.getNotAfter().toInstant().plusSeconds(60), "", forged));
    }

    @Test
    void aBootstrapChainThroughAnIntermediateNeedsTheIntermediateAndItsValidity() {
        KeyPair intermediateKey = TestCsrs.ecP256();
        X509Certificate intermediate = manufacturer.issueSubordinateCa(new X500Name("CN=Manufacturer Line 3"),
                intermediateKey.getPublic(), Duration.ofDays(10), ISSUED.minus(Duration.ofDays(1)));
        CertificateAuthority line = new CertificateAuthority(List.of(intermediate, manufacturer.certificate()),
                intermediateKey.getPrivate(), BC);
        X509Certificate idevid = issue(line, "anything");
        assertEquals(Kind.BOOTSTRAP, enroll("", idevid, intermediate));
        assertEquals(Kind.BOOTSTRAP, enroll("", idevid, intermediate, manufacturer.certificate()));
        refused(Refusal.UNTRUSTED, () -> enroll("", idevid));
        // The intermediate expires before the device certificate: the reason names it.
        Instant afterIntermediate = intermediate.getNotAfter().toInstant().plusSeconds(60);
        String reason = refused(Refusal.OUTSIDE_VALIDITY, () -> enroll(afterIntermediate, "", idevid, intermediate))
                .getMessage();
        assertTrue(reason.contains("'CN=Manufacturer Line 3' of the client's chain expired"), reason);
    }

    @Test
    void aBootstrapCertificateOnItsManufacturersCrlGetsNoEstIdentity() throws Exception {
        X509Certificate stolen = issue(manufacturer, "anything");
        X509Certificate other = issue(manufacturer, "anything");
        KeyPair intermediateKey = TestCsrs.ecP256();
        X509Certificate intermediate = manufacturer.issueSubordinateCa(new X500Name("CN=Manufacturer Line 4"),
                intermediateKey.getPublic(), Duration.ofDays(10), ISSUED.minus(Duration.ofDays(1)));
        X509Certificate onClosedLine = issue(new CertificateAuthority(List.of(intermediate,
                manufacturer.certificate()), intermediateKey.getPrivate(), BC), "anything");
        Instant revokedAt = ISSUED.plus(Duration.ofMinutes(5));
        manufacturerCrls = List.of(crl(manufacturer, List.of(
                new RevokedEntry(stolen.getSerialNumber(), revokedAt, 1, null),
                new RevokedEntry(intermediate.getSerialNumber(), revokedAt, 5, null))),
                // A foreign CA's CRL listing the same serial says nothing of the manufacturer's certificate.
                crl(foreign, List.of(new RevokedEntry(other.getSerialNumber(), revokedAt, 1, null))));

        String reason = refused(Refusal.REVOKED, () -> enroll("", stolen)).getMessage();
        assertEquals("client certificate 'CN=client' (serial " + stolen.getSerialNumber().toString(16)
                + ") is revoked by its manufacturer's CRL of 'CN=Manufacturer CA' since " + revokedAt
                + ": keyCompromise", reason);
        String line = refused(Refusal.REVOKED, () -> enroll("", onClosedLine, intermediate)).getMessage();
        assertTrue(line.startsWith("certificate of the client's chain 'CN=Manufacturer Line 4'")
                && line.endsWith("cessationOfOperation"), line);
        assertEquals(Kind.BOOTSTRAP, enroll("", other));
        // The manufacturer's CRL is no reason to refuse a certificate Estuary issued.
        assertEquals(Kind.EST_IDENTITY, enroll("", issue(estuary, "est-identity")));
    }

    private static X509CRL crl(CertificateAuthority ca, List<RevokedEntry> entries) throws Exception {
        byte[] der = ca.crl(entries, BigInteger.ONE, ISSUED, ISSUED.plus(Duration.ofDays(7)));
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    @Test
    void simplereenrollRenewsOnlyValidCertificatesEstuaryIssued() {
        Instant now = ISSUED.plus(Duration.ofHours(1));
        X509Certificate device = issue(estuary, "device-identity");
        assertSame(device, policyAt(now).requireIssuedByEstuary(new X509Certificate[] { device },
                List.of(estuary.certificate())));

        Instant later = device.getNotAfter().toInstant().plusSeconds(1);
        ClientCertificateRefusedException expired = refused(Refusal.OUTSIDE_VALIDITY, () -> policyAt(later)
                .requireIssuedByEstuary(new X509Certificate[] { device }, List.of(estuary.certificate())));
        assertTrue(expired.getMessage().startsWith("client certificate 'CN=client' expired at "
                + device.getNotAfter().toInstant()), expired.getMessage());

        X509Certificate idevid = issue(manufacturer, "anything");
        String reason = refused(Refusal.UNTRUSTED, () -> policyAt(now).requireIssuedByEstuary(
                new X509Certificate[] { idevid }, List.of(estuary.certificate()))).getMessage();
        assertTrue(reason.contains("renews certificates Estuary issued"), reason);
    }

    @Test
    void anEstIdentityFromARotatedOutCaIsUntrusted() {
        X509Certificate identity = issue(estuary, "est-identity");
        CertificateAuthority next = ca("Estuary CA 2");
        refused(Refusal.UNTRUSTED, () -> policyAt(ISSUED.plus(Duration.ofHours(1)))
                .requireEnrollment(new X509Certificate[] { identity }, "", List.of(next.certificate())));
    }
}
