package io.estuary.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.pki.CertificateAuthority;
import io.estuary.pki.CertificateProfile;
import io.estuary.pki.CertificationRequest;
import io.estuary.testkit.TestCsrs;

class ClientCertificatePolicyTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private final CertificateAuthority estuary = ca("Estuary CA");
    private final CertificateAuthority manufacturer = ca("Manufacturer CA");
    private final ClientCertificatePolicy policy = new ClientCertificatePolicy(
            Map.of("default", Set.of(new TrustAnchor(manufacturer.certificate(), null))), "est-identity");

    private static CertificateAuthority ca(String name) {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=" + name), key.getPublic(),
                key.getPrivate(), BC, Duration.ofDays(30), Instant.now());
        return new CertificateAuthority(List.of(root), key.getPrivate(), BC);
    }

    private static X509Certificate issue(CertificateAuthority ca, String profile) {
        CertificateProfile p = new CertificateProfile(profile, "x", Duration.ofDays(1), 2048, Set.of("P-256"),
                List.of(KeyPurposeId.id_kp_clientAuth), false, Optional.empty(), Optional.empty(), true, true);
        return ca.issue(CertificationRequest.fromDer(TestCsrs.csr("client", TestCsrs.ecP256())), p, Instant.now())
                .certificate();
    }

    private ClientCertificatePolicy.Decision decide(X509Certificate certificate, String label) {
        return policy.decide(new X509Certificate[] { certificate }, label, List.of(estuary.certificate()));
    }

    @Test
    void aBootstrapCertificateEnrollsOnItsLabelOnly() {
        X509Certificate idevid = issue(manufacturer, "anything");
        assertTrue(decide(idevid, "").bootstrap());
        assertTrue(decide(idevid, "edge-ca").refusal().isPresent());
    }

    @Test
    void anEstuaryEstIdentityEnrollsEverywhereButADeviceCertificateNowhere() {
        X509Certificate identity = issue(estuary, "est-identity");
        assertTrue(decide(identity, "").estIdentity());
        assertTrue(decide(identity, "edge-ca").estIdentity());
        X509Certificate device = issue(estuary, "device-identity");
        assertTrue(decide(device, "").refusal().orElseThrow().contains("nor an Estuary EST identity"));
    }

    @Test
    void anEstIdentityPolicyFromAnotherCaIsNotAnEstIdentity() {
        // A manufacturer cannot mint EST identities by copying Estuary's policy OID.
        X509Certificate forged = issue(manufacturer, "est-identity");
        assertFalse(decide(forged, "edge-ca").estIdentity());
        assertTrue(decide(forged, "edge-ca").refusal().isPresent());
    }
}
