package io.estuary.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.wire.Pem;
import io.estuary.testkit.TestTls;

/**
 * The load generator's TLS clients against a TLS 1.3 server that issues tickets (the JDK's): an answer read whole, a
 * worker that keeps sessions resumes its last one on the next connection and says so, and one that does not keeps
 * doing full handshakes. The resumed-session row counts on both.
 */
class WorkerTlsTest {
    @TempDir
    static Path dir;
    private static SSLServerSocket server;
    private static Thread serving;

    @BeforeAll
    static void serve() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        X509Certificate certificate = CertificateAuthority.selfSignedRoot(new X500Name("CN=localhost"),
                key.getPublic(), key.getPrivate(), new org.bouncycastle.jce.provider.BouncyCastleProvider(),
                Duration.ofDays(1), Instant.now());
        Files.writeString(dir.resolve("trust.pem"), Pem.encode(certificate));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(TestTls.keyManagers(certificate, key.getPrivate()), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
        server.setEnabledProtocols(new String[] { "TLSv1.3" });
        serving = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    answer(socket);
                } catch (IOException e) {
                    // the next connection, or the end of the test
                }
            }
        }, "test-server");
        serving.setDaemon(true);
        serving.start();
    }

    /** Reads one request with a Content-Length body and answers 200 with the body back. */
    private static void answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            head.append((char) c);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        byte[] body = in.readNBytes(length);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static HttpConnection.Answer post(HttpConnection connection, String body) throws IOException {
        try {
            return connection.post("/x", null, "text/plain", body.getBytes(StandardCharsets.US_ASCII), false);
        } finally {
            connection.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "openssl", "jdk" })
    void aWorkerThatKeepsSessionsResumesItsLast(String library) throws IOException {
        WorkerTls tls = WorkerTls.of(library, dir.resolve("trust.pem"), true);
        HttpConnection first = tls.connect("localhost", server.getLocalPort());
        assertFalse(first.resumed, "nothing to resume yet");
        HttpConnection.Answer answer = post(first, "a".repeat(20_000)); // more than one TLS record each way
        assertEquals(200, answer.status());
        assertArrayEquals("a".repeat(20_000).getBytes(StandardCharsets.US_ASCII), answer.body());
        for (int i = 0; i < 3; i++) {
            HttpConnection next = tls.connect("localhost", server.getLocalPort());
            assertTrue(next.resumed, library + ": connection " + (i + 2) + " resumed the session of the one before");
            assertEquals(200, post(next, "b").status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "openssl", "jdk" })
    void aWorkerWithoutASessionCacheDoesAFullHandshakeEveryTime(String library) throws IOException {
        WorkerTls tls = WorkerTls.of(library, dir.resolve("trust.pem"), false);
        for (int i = 0; i < 3; i++) {
            HttpConnection connection = tls.connect("localhost", server.getLocalPort());
            assertFalse(connection.resumed, library + ": connection " + (i + 1));
            assertEquals(200, post(connection, "c").status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "openssl", "jdk" })
    void aServerThatIsNotTrustedIsRefused(String library) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair other = generator.generateKeyPair();
        Files.writeString(dir.resolve("other.pem"), Pem.encode(CertificateAuthority.selfSignedRoot(
                new X500Name("CN=other"), other.getPublic(), other.getPrivate(),
                new org.bouncycastle.jce.provider.BouncyCastleProvider(), Duration.ofDays(1), Instant.now())));
        WorkerTls tls = WorkerTls.of(library, dir.resolve("other.pem"), true);
        assertThrows(IOException.class, () -> tls.connect("localhost", server.getLocalPort()));
    }

    @org.junit.jupiter.api.Test
    void anUnknownLibraryIsRefusedByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> WorkerTls.of("gnutls", dir.resolve("trust.pem"), true));
        assertTrue(refused.getMessage().contains("gnutls"), refused.getMessage());
    }
}
