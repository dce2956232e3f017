package io.estuary.frontend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.wire.Pem;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.TestTls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The EST listener over TLS, as in production: a client that connects again resumes its session (a TLS 1.3 ticket or
 * a TLS 1.2 session id) instead of a full handshake, so a device that opens a connection per request pays for the
 * certificate signature and its check once.
 */
@QuarkusTest
@TestProfile(TlsSessionResumptionTest.Tls.class)
@QuarkusTestResource(TestCaChainResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class TlsSessionResumptionTest {
    /** The production listener's TLS settings, with a throwaway server certificate on a free port. */
    public static class Tls implements QuarkusTestProfile {
        static final Path DIR;
        static final int PORT;

        static {
            try {
                DIR = Files.createTempDirectory("estuary-tls-test");
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair key = generator.generateKeyPair();
                var certificate = CertificateAuthority.selfSignedRoot(new X500Name("CN=localhost"), key.getPublic(),
                        key.getPrivate(), new org.bouncycastle.jce.provider.BouncyCastleProvider(),
                        Duration.ofDays(1), Instant.now());
                Files.writeString(DIR.resolve("server.pem"), Pem.encode(certificate));
                Files.writeString(DIR.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(key.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
                try (ServerSocket free = new ServerSocket(0)) {
                    PORT = free.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.tls-configuration-name", "est",
                    "quarkus.tls.est.key-store.pem.server.cert", DIR.resolve("server.pem").toString(),
                    "quarkus.tls.est.key-store.pem.server.key", DIR.resolve("server.key").toString(),
                    "quarkus.tls.est.protocols", "TLSv1.3,TLSv1.2",
                    "quarkus.tls.est.alpn", "false",
                    "quarkus.http.ssl.client-auth", "request",
                    "quarkus.http.test-ssl-port", Integer.toString(PORT));
        }
    }

    @Test
    void aSecondTls13ConnectionResumesTheSession() throws Exception {
        SSLContext client = TestTls.trusting(Tls.DIR.resolve("server.pem"));
        SSLSession first = exchange(client, "TLSv1.3");
        SSLSession second = exchange(client, "TLSv1.3");
        assertEquals("TLSv1.3", second.getProtocol());
        // A full handshake makes a new session; a resumed one carries the first one's creation time (JSSE).
        assertEquals(first.getCreationTime(), second.getCreationTime(), "the second handshake resumed the first");
        SSLContext stranger = TestTls.trusting(Tls.DIR.resolve("server.pem"));
        Thread.sleep(5); // a full handshake's session is created at least a millisecond later
        assertTrue(exchange(stranger, "TLSv1.3").getCreationTime() > first.getCreationTime(),
                "a client without the ticket gets a full handshake");
    }

    @Test
    void aSecondTls12ConnectionResumesTheSession() throws Exception {
        SSLContext client = TestTls.trusting(Tls.DIR.resolve("server.pem"));
        SSLSession first = exchange(client, "TLSv1.2");
        SSLSession second = exchange(client, "TLSv1.2");
        assertEquals("TLSv1.2", second.getProtocol());
        assertArrayEquals(first.getId(), second.getId(), "the server took the session id back");
        assertEquals(first.getCreationTime(), second.getCreationTime());
    }

    /** One request over a new connection, its answer read to the end (a TLS 1.3 ticket arrives after the handshake). */
    private static SSLSession exchange(SSLContext client, String protocol) throws IOException {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", Tls.PORT)) {
            socket.setEnabledProtocols(new String[] { protocol });
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(("GET /.well-known/est/cacerts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 "), answer);
            return socket.getSession();
        }
    }
}
