package io.estuary.frontend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.wire.Pem;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.TestCsrs;
import io.estuary.testkit.TestTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The EST listener over TLS, as in production (OpenSSL, the listener's own key material and trust):
 * <ul>
 * <li>a client that connects again resumes its session (a TLS 1.3 ticket or a TLS 1.2 session id) instead of a full
 * handshake, so a device that opens a connection per request pays for the certificate signature and its check once;
 * <li>a rotated certificate is served without a restart, a pair that cannot be served is not, and files that did not
 * change keep the TLS context (the sessions above resume across reloads).
 * </ul>
 */
@QuarkusTest
@TestProfile(EstListenerTlsTest.Tls.class)
@QuarkusTestResource(TestCaChainResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class EstListenerTlsTest {
    /** The production listener's TLS settings, with a throwaway server certificate on a free port. */
    public static class Tls implements QuarkusTestProfile {
        static final Path DIR;
        static final int PORT;
        static final Pair FIRST;

        static {
            try {
                DIR = Files.createTempDirectory("estuary-tls-test");
                FIRST = Pair.create("CN=localhost, O=first");
                FIRST.install();
                try (ServerSocket free = new ServerSocket(0)) {
                    PORT = free.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.tls-configuration-name", "est",
                    "estuary.frontend.tls-certificate", DIR.resolve("server.pem").toString(),
                    "estuary.frontend.tls-key", DIR.resolve("server.key").toString(),
                    "estuary.frontend.tls-reload-period", "PT1S",
                    "quarkus.tls.est.protocols", "TLSv1.3,TLSv1.2",
                    "quarkus.tls.est.alpn", "false",
                    "quarkus.http.ssl.client-auth", "request",
                    "quarkus.http.test-ssl-port", Integer.toString(PORT));
        }
    }

    /** A server key and its self-signed certificate, written where the listener reads them. */
    record Pair(KeyPair key, X509Certificate certificate) {
        static Pair create(String subject) {
            KeyPair key = TestCsrs.ecP256();
            return new Pair(key, CertificateAuthority.selfSignedRoot(new X500Name(subject), key.getPublic(),
                    key.getPrivate(), new BouncyCastleProvider(), Duration.ofDays(1), Instant.now()));
        }

        void install() throws IOException {
            writeCertificate(certificate);
            writeKey(key);
        }

        static void writeCertificate(X509Certificate certificate) throws IOException {
            replace("server.pem", Pem.encode(certificate));
        }

        static void writeKey(KeyPair key) throws IOException {
            replace("server.key", TestTls.privateKeyPem(key.getPrivate()));
        }

        /** As a Secret volume changes: the reader sees the old file or the new one, never half of one. */
        private static void replace(String name, String content) throws IOException {
            Path written = Files.writeString(Tls.DIR.resolve(name + ".new"), content);
            Files.move(written, Tls.DIR.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Inject
    MeterRegistry meters;

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

    @Test
    void aRotatedCertificateIsServedWithoutARestartAndABrokenPairIsNot() throws Exception {
        Pair second = Pair.create("CN=localhost, O=second");
        Path both = Files.writeString(Tls.DIR.resolve("both.pem"),
                Pem.encode(Tls.FIRST.certificate()) + Pem.encode(second.certificate()));
        SSLContext client = TestTls.trusting(both);
        try {
            SSLSession before = exchange(client, "TLSv1.3");
            assertEquals(Tls.FIRST.certificate(), before.getPeerCertificates()[0]);
            assertEquals(Tls.FIRST.certificate().getNotAfter().toInstant().getEpochSecond(), notAfterGauge());

            // Reading files that did not change keeps everything as it was: the session still resumes.
            Thread.sleep(3_000);
            assertEquals(before.getCreationTime(), exchange(client, "TLSv1.3").getCreationTime(),
                    "three reload periods later the session resumes");

            // A certificate without its key (a rotation written half, or a key from another pair) is not served.
            double refusedBefore = refused();
            Pair.writeCertificate(second.certificate());
            waitFor(() -> refused() > refusedBefore, "the reload refuses the certificate without its key");
            assertEquals(Tls.FIRST.certificate(), exchange(TestTls.trusting(both), "TLSv1.3").getPeerCertificates()[0],
                    "the listener keeps serving the certificate it had");
            assertEquals(Tls.FIRST.certificate().getNotAfter().toInstant().getEpochSecond(), notAfterGauge());

            // With its key, the new certificate is served within a reload period, in the same TLS context: a client
            // that holds a session still resumes it.
            AtomicInteger handshakes = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            AtomicBoolean rotating = new AtomicBoolean(true);
            Thread clients = new Thread(() -> {
                while (rotating.get() && failed.get() == null) {
                    try {
                        served(both);
                        handshakes.incrementAndGet();
                    } catch (RuntimeException | Error e) {
                        failed.set(e);
                    }
                }
            });
            clients.start();
            try {
                Pair.writeKey(second.key());
                waitFor(() -> second.certificate().equals(served(both)), "the rotated certificate is served");
                int seen = handshakes.get();
                waitFor(() -> handshakes.get() > seen + 20 || failed.get() != null, "more handshakes");
            } finally {
                rotating.set(false);
                clients.join();
            }
            assertNull(failed.get(), "no new connection failed while the certificate changed ("
                    + handshakes.get() + " handshakes)");
            assertEquals(second.certificate().getNotAfter().toInstant().getEpochSecond(), notAfterGauge());
            assertEquals(before.getCreationTime(), exchange(client, "TLSv1.3").getCreationTime(),
                    "the session from before the rotation resumes");
        } finally {
            Tls.FIRST.install();
            waitFor(() -> Tls.FIRST.certificate().equals(served(both)), "the first certificate is served again");
        }
    }

    private double refused() {
        return meters.get("estuary.listener.certificate.reloads.refused").counter().count();
    }

    private long notAfterGauge() {
        return (long) meters.get("estuary.listener.certificate.not.after").gauge().value();
    }

    /** The certificate a new client (no session to resume) is shown. */
    private static X509Certificate served(Path trusted) {
        try {
            return (X509Certificate) exchange(TestTls.trusting(trusted), "TLSv1.3").getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "within 30 s: " + what);
            Thread.sleep(200);
        }
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
