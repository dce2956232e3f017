package io.estuary.frontend.listener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.testkit.TestCsrs;

/** Reading the client's certificate from the nginx and Envoy headers, and the reasons a header is refused. */
class ClientCertificateHeaderTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final CertificateAuthority CA = ca();
    private static final X509Certificate CLIENT = CA.issue(
            CertificationRequest.fromDer(TestCsrs.csr("proxied-client", TestCsrs.ecP256())),
            CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now()).certificate();

    private static CertificateAuthority ca() {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=Header Test CA"), key.getPublic(),
                key.getPrivate(), BC, Duration.ofDays(30), Instant.now());
        return new CertificateAuthority(List.of(root), key.getPrivate(), BC);
    }

    static String pem(X509Certificate... certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return pem.toString();
    }

    /** As nginx's $ssl_client_escaped_cert: every reserved character percent-encoded. */
    static String urlEncoded(String pem) {
        return URLEncoder.encode(pem, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** As a proxy that percent-encodes only what a header value cannot carry, leaving '+', '/' and '=' as they are. */
    private static String minimallyEncoded(String pem) {
        return pem.replace("%", "%25").replace("\n", "%0A").replace(" ", "%20");
    }

    @Test
    void nginxHeaderCarriesTheUrlEncodedPem() {
        X509Certificate[] chain = ClientCertificateHeader.SSL_CLIENT_CERT.chain(urlEncoded(pem(CLIENT)));
        assertArrayEquals(new X509Certificate[] { CLIENT }, chain);
    }

    @Test
    void aLiteralPlusIsBase64NotASpace() {
        // Nearly every certificate's base64 has a '+'; take one that does, or the test would prove nothing.
        X509Certificate withPlus = CLIENT;
        for (int i = 0; !pem(withPlus).contains("+"); i++) {
            withPlus = CA.issue(CertificationRequest.fromDer(TestCsrs.csr("plus-" + i, TestCsrs.ecP256())),
                    CertificateProfile.deviceIdentity(Duration.ofDays(1)), Instant.now()).certificate();
        }
        assertArrayEquals(new X509Certificate[] { withPlus },
                ClientCertificateHeader.SSL_CLIENT_CERT.chain(minimallyEncoded(pem(withPlus))));
    }

    @Test
    void nginxHeaderMayCarryAChainLeafFirst() {
        X509Certificate[] chain = ClientCertificateHeader.SSL_CLIENT_CERT.chain(urlEncoded(pem(CLIENT,
                CA.certificate())));
        assertArrayEquals(new X509Certificate[] { CLIENT, CA.certificate() }, chain);
    }

    @Test
    void envoyHeaderCarriesTheCertInItsFirstElement() {
        String xfcc = "By=spiffe://cluster.local/ns/estuary/sa/frontend;Hash=0f3e;Cert=\"" + urlEncoded(pem(CLIENT))
                + "\";Subject=\"CN=proxied-client,O=Example\\, Inc.;OU=x\";URI=;DNS=device.example";
        assertArrayEquals(new X509Certificate[] { CLIENT }, ClientCertificateHeader.X_FORWARDED_CLIENT_CERT.chain(xfcc));
    }

    @Test
    void envoyHeaderTakesTheFirstElementTheEdgeProxyAdded() {
        String xfcc = "Hash=aa;Cert=\"" + urlEncoded(pem(CLIENT)) + "\",By=spiffe://mesh/ingress;Hash=bb;Cert=\""
                + urlEncoded(pem(CA.certificate())) + "\"";
        assertArrayEquals(new X509Certificate[] { CLIENT }, ClientCertificateHeader.X_FORWARDED_CLIENT_CERT.chain(xfcc));
    }

    @Test
    void envoyHeaderChainFollowsTheCertUnquotedKeysInAnyCase() {
        String xfcc = "cert=" + urlEncoded(pem(CLIENT)) + ";CHAIN=" + urlEncoded(pem(CLIENT, CA.certificate()));
        assertArrayEquals(new X509Certificate[] { CLIENT, CA.certificate() },
                ClientCertificateHeader.X_FORWARDED_CLIENT_CERT.chain(xfcc));
        assertArrayEquals(new X509Certificate[] { CLIENT, CA.certificate() },
                ClientCertificateHeader.X_FORWARDED_CLIENT_CERT.chain(
                        "Chain=\"" + urlEncoded(pem(CLIENT, CA.certificate())) + "\""));
    }

    @Test
    void malformedHeadersAreRefusedWithAReason() {
        ClientCertificateHeader nginx = ClientCertificateHeader.SSL_CLIENT_CERT;
        ClientCertificateHeader envoy = ClientCertificateHeader.X_FORWARDED_CLIENT_CERT;
        assertRefused(nginx, "", "holds no PEM certificate");
        assertRefused(nginx, "not a certificate", "holds no PEM certificate");
        assertRefused(nginx, "%ZZ", "not URL-encoded PEM");
        assertRefused(nginx, urlEncoded("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                "does not hold a valid X.509 certificate");
        String truncated = urlEncoded(pem(CLIENT));
        assertRefused(nginx, truncated.substring(0, truncated.length() / 2), "ssl-client-cert");
        assertRefused(envoy, "", "first element is empty");
        assertRefused(envoy, "By=spiffe://x;Hash=00", "neither Cert nor Chain");
        assertRefused(envoy, "By=a,Cert=\"" + urlEncoded(pem(CLIENT)) + "\"", "neither Cert nor Chain");
        assertRefused(envoy, "Cert=\"" + urlEncoded(pem(CLIENT)), "unterminated quoted value");
        assertRefused(envoy, "Cert", "'Cert' without '='");
        assertRefused(envoy, "Cert=\"" + urlEncoded(pem(CLIENT, CA.certificate())) + "\"", "holds 2 certificates");
        assertRefused(envoy, "Cert=\"junk\"", "holds no PEM certificate");
    }

    private static void assertRefused(ClientCertificateHeader header, String value, String reason) {
        MalformedClientCertificateHeaderException e = assertThrows(MalformedClientCertificateHeaderException.class,
                () -> header.chain(value));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
