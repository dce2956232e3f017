package io.estuary.frontend.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.testkit.TestCsrs;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslSession;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/** The TLS session's client chain, read from real OpenSSL handshakes as the listener's engine makes them. */
class ClientCertificatesTest {
    private static final KeyPair SERVER_KEY = TestCsrs.ecP256();
    private static final X509Certificate SERVER = certificate("CN=localhost", SERVER_KEY);
    private static final KeyPair DEVICE_KEY = TestCsrs.ecP256();
    private static final X509Certificate DEVICE = certificate("CN=device-1", DEVICE_KEY);

    @Test
    void aClientCertificateIsReadFromTheOpenSslSession() throws Exception {
        SSLSession session = serverSession(true);
        assertInstanceOf(OpenSslSession.class, session);
        assertArrayEquals(new X509Certificate[] { DEVICE }, ClientCertificates.peerChain(session));
    }

    @Test
    void noClientCertificateGivesAnEmptyChain() throws Exception {
        assertEquals(0, ClientCertificates.peerChain(serverSession(false)).length);
    }

    @Test
    void anOpenSslSessionWithoutAChainIsNotAskedTheThrowingWay() {
        // Asked for its certificates, this session fails the test: without a chain the answer must come from
        // hasPeerCertificates alone (Netty's answer is an exception with its stack trace, per new connection).
        SSLSession session = (SSLSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { OpenSslSession.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "hasPeerCertificates" -> false;
                    default -> throw new AssertionError(method.getName() + " was called");
                });
        assertEquals(0, ClientCertificates.peerChain(session).length);
    }

    /** The server side of a TLS 1.3 handshake over BoringSSL that asks for a client certificate. */
    private static SSLSession serverSession(boolean clientSendsCertificate) throws SSLException {
        SSLEngine server = SslContextBuilder.forServer(SERVER_KEY.getPrivate(), SERVER)
                .sslProvider(SslProvider.OPENSSL).clientAuth(ClientAuth.OPTIONAL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols("TLSv1.3").build()
                .newEngine(ByteBufAllocator.DEFAULT);
        SslContextBuilder client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols("TLSv1.3");
        if (clientSendsCertificate) {
            client.keyManager(DEVICE_KEY.getPrivate(), DEVICE);
        }
        handshake(client.build().newEngine(ByteBufAllocator.DEFAULT, "localhost", 443), server);
        return server.getSession();
    }

    /** Runs both engines' handshake through memory until neither has more to do. */
    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer application = ByteBuffer.allocate(1 << 17);
        ByteBuffer none = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 50 && !(finished(client) && finished(server)); step++) {
            send(client, none, toServer, server, application);
            send(server, none, toClient, client, application);
        }
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, server.getHandshakeStatus(), "the handshake finished");
    }

    /** One engine's next records, through the wire buffer, into the other. */
    private static void send(SSLEngine from, ByteBuffer none, ByteBuffer wire, SSLEngine to, ByteBuffer application)
            throws SSLException {
        from.wrap(none, wire);
        runTasks(from);
        wire.flip();
        to.unwrap(wire, application);
        wire.compact();
        runTasks(to);
    }

    private static boolean finished(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null;) {
            task.run();
        }
    }

    private static X509Certificate certificate(String subject, KeyPair key) {
        return CertificateAuthority.selfSignedRoot(new X500Name(subject), key.getPublic(), key.getPrivate(),
                new BouncyCastleProvider(), Duration.ofDays(1), Instant.now());
    }
}
