package io.estuary.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.CsrPolicy;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.policy.InvalidCsrException;
import io.estuary.testkit.CertificateLint;
import io.estuary.testkit.TestCsrs;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The shipped profiles, read as the services read them, each issue a certificate that passes the linter. */
class ShippedProfilesTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private static EstLabels labels(Map<String, String> overrides) {
        var config = new SmallRyeConfigBuilder().addDefaultSources().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(overrides, "test", 500))
                .withMapping(IssuanceConfig.class).build();
        return EstLabelsProducer.from(config.getConfigMapping(IssuanceConfig.class));
    }

    private static CertificateAuthority softwareCa() {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=Estuary Test CA,O=Example,C=DE"),
                key.getPublic(), key.getPrivate(), BC, Duration.ofDays(365), Instant.now());
        return new CertificateAuthority(List.of(root), key.getPrivate(), BC);
    }

    @Test
    void everyShippedProfileIssuesALintFreeCertificate() {
        EstLabels labels = labels(Map.of());
        assertEquals(Set.of("device-identity", "est-identity", "edge-ca", "tls-server"), labels.profiles().keySet());
        CertificateAuthority ca = softwareCa();
        for (CertificateProfile profile : labels.profiles().values()) {
            assertFalse(profile.allowWildcard(), profile.name());
            assertEquals(CertificateProfile.DEFAULT_SIGNATURE_ALGORITHMS, profile.signatureAlgorithms());
            List<byte[]> requests = List.of(
                    TestCsrs.csrWithSubjectAltName("device-7", TestCsrs.ecP256(),
                            new GeneralName(GeneralName.dNSName, "device-7.example.com"),
                            new GeneralName(GeneralName.iPAddress, "192.0.2.7")),
                    TestCsrs.csr("device-8", TestCsrs.rsa(2048)),
                    TestCsrs.csr("device-9", TestCsrs.ec("secp384r1")));
            for (byte[] der : requests) {
                CertificationRequest csr = CertificationRequest.fromDer(der);
                CsrPolicy.check(csr, profile);
                CertificateLint.check(ca.issue(csr, profile, Instant.now()).certificate(), ca.certificate());
            }
            if (profile.allowCa()) {
                X509Certificate edgeCa = ca.issue(CertificationRequest.fromDer(TestCsrs.edgeCaCsr("aziot-edge CA d",
                        TestCsrs.ecP256())), profile, Instant.now()).certificate();
                assertEquals(0, edgeCa.getBasicConstraints());
                CertificateLint.check(edgeCa, ca.certificate());
            }
        }
    }

    @Test
    void wildcardsAndSignatureAlgorithmsAreSetPerProfile() throws Exception {
        EstLabels labels = labels(Map.of("estuary.issuance.profiles.tls-server.allow-wildcard", "true",
                "estuary.issuance.profiles.tls-server.signature-algorithms", "SHA384withECDSA"));
        CertificateProfile tls = labels.profileFor("tls-server").orElseThrow();
        assertTrue(tls.allowWildcard());
        assertEquals(List.of("SHA384withECDSA"), tls.signatureAlgorithms());
        byte[] wildcard = TestCsrs.csrWithSubjectAltName("d", TestCsrs.ecP256(),
                new GeneralName(GeneralName.dNSName, "*.example.com"));
        assertThrows(InvalidCsrException.class, () -> CsrPolicy.check(CertificationRequest.fromDer(wildcard),
                labels.profileFor("device-identity").orElseThrow()));
        // SHA-256 is not accepted there any more.
        assertThrows(InvalidCsrException.class, () -> CsrPolicy.check(CertificationRequest.fromDer(wildcard), tls));
        KeyPair key = TestCsrs.ecP256();
        byte[] sha384 = TestCsrs.signedRequest(TestCsrs.requestInfo(new X500Name("CN=d"), key,
                TestCsrs.extensionRequest(new org.bouncycastle.asn1.x509.Extension(
                        org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                        new org.bouncycastle.asn1.DEROctetString(new org.bouncycastle.asn1.x509.GeneralNames(
                                new GeneralName(GeneralName.dNSName, "*.example.com")))))),
                key.getPrivate(), "SHA384withECDSA");
        CertificateAuthority ca = softwareCa();
        CertificationRequest csr = CertificationRequest.fromDer(sha384);
        CsrPolicy.check(csr, tls);
        CertificateLint.check(ca.issue(csr, tls, Instant.now()).certificate(), ca.certificate());
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> labels(Map.of(
                "estuary.issuance.profiles.tls-server.signature-algorithms", "SHA1withRSA")));
        assertTrue(unknown.getMessage().contains("unknown signature algorithm 'SHA1withRSA'"), unknown.getMessage());
    }
}
