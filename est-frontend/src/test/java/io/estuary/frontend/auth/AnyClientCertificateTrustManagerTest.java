package io.estuary.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.testkit.TestCsrs;

/**
 * What the listener relies on: with this trust manager and client certificates wanted (not needed), a JSSE server
 * completes the handshake with an expired certificate from an unknown CA and hands the chain to the application, while
 * a client that sends none still connects; a trust manager that judges certificates ends that handshake instead.
 */
class AnyClientCertificateTrustManagerTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final KeyPair SERVER_KEY = TestCsrs.ecP256();
    private static final X509Certificate SERVER = selfSigned("CN=localhost", SERVER_KEY, Instant.now(),
            Duration.ofDays(1));
    private static final KeyPair CLIENT_CA_KEY = TestCsrs.ecP256();
    private static final X509Certificate CLIENT_CA = selfSigned("CN=Device CA", CLIENT_CA_KEY,
            Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(20));
    private static final KeyPair CLIENT_KEY = TestCsrs.ecP256();
    /** Expired a day ago, from a CA the server does not know. */
    private static final X509Certificate EXPIRED_CLIENT = new CertificateAuthority(List.of(CLIENT_CA),
            CLIENT_CA_KEY.getPrivate(), BC).issue(CertificationRequest.fromDer(TestCsrs.csr("expired-device",
                    CLIENT_KEY)), CertificateProfile.deviceIdentity(Duration.ofDays(1)),
                    Instant.now().minus(Duration.ofDays(2))).certificate();

    private static X509Certificate selfSigned(String subject, KeyPair key, Instant from, Duration validity) {
        return CertificateAuthority.selfSignedRoot(new X500Name(subject), key.getPublic(), key.getPrivate(), BC,
                validity, from);
    }

    @Test
    void theHandshakeAcceptsAnExpiredForeignCertificateAndTheServerSeesIt() throws Exception {
        Certificate[] seen = handshake(new AnyClientCertificateTrustManager(), EXPIRED_CLIENT, CLIENT_KEY);
        assertArrayEquals(new Certificate[] { EXPIRED_CLIENT }, seen);
    }

    @Test
    void aClientWithoutCertificateStillConnects() throws Exception {
        assertEquals(0, handshake(new AnyClientCertificateTrustManager(), null, null).length);
    }

    @Test
    void aJudgingTrustManagerWouldEndTheHandshakeWithoutAReason() throws Exception {
        // Trusting the client's issuer (so the client sends its certificate), the JDK's trust manager refuses it as
        // expired: the client only sees the handshake fail.
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("device-ca", CLIENT_CA);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trusted);
        assertThrows(Exception.class, () -> handshake((X509TrustManager) factory.getTrustManagers()[0],
                EXPIRED_CLIENT, CLIENT_KEY));
    }

    @Test
    void itNeverVouchesForServers() {
        assertThrows(java.security.cert.CertificateException.class,
                () -> new AnyClientCertificateTrustManager().checkServerTrusted(new X509Certificate[] { SERVER },
                        "ECDHE_ECDSA"));
        assertEquals(0, new AnyClientCertificateTrustManager().getAcceptedIssuers().length);
    }

    /** One TLS 1.3 handshake on loopback; returns the client chain the server saw (empty for none). */
    private static Certificate[] handshake(X509TrustManager serverTrust, X509Certificate clientCertificate,
            KeyPair clientKey) throws Exception {
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(keyManagers(SERVER, SERVER_KEY), new TrustManager[] { serverTrust }, null);
        KeyStore trustServer = KeyStore.getInstance("PKCS12");
        trustServer.load(null, null);
        trustServer.setCertificateEntry("server", SERVER);
        TrustManagerFactory clientTrust = TrustManagerFactory.getInstance("PKIX");
        clientTrust.init(trustServer);
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        client.init(clientCertificate == null ? null : keyManagers(clientCertificate, clientKey),
                clientTrust.getTrustManagers(), null);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            listener.setWantClientAuth(true);
            CompletableFuture<Certificate[]> accepted = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.startHandshake();
                    socket.getOutputStream().write(1);
                    socket.getOutputStream().flush();
                    try {
                        return socket.getSession().getPeerCertificates();
                    } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                        return new Certificate[0];
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1",
                    listener.getLocalPort())) {
                socket.startHandshake();
                // TLS 1.3: the server judges the client's certificate after the client's handshake is done; a refusal
                // surfaces on the first read.
                assertEquals(1, socket.getInputStream().read());
            }
            return accepted.get(10, TimeUnit.SECONDS);
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(X509Certificate certificate, KeyPair key) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", key.getPrivate(), "pw".toCharArray(), new Certificate[] { certificate });
        KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
        factory.init(store, "pw".toCharArray());
        return factory.getKeyManagers();
    }
}
