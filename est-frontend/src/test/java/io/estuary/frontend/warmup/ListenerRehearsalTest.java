package io.estuary.frontend.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.X509KeyManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.testkit.TestCsrs;
import io.estuary.testkit.TestTls;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.TrustOptions;

/** The warm-up's requests to a real TLS listener (Vert.x's), which stands in for the frontend's own. */
class ListenerRehearsalTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void asksTheListenerOverTlsTrustingItsCertificateAndConnectsAgainEveryFewRounds() throws Exception {
        Identity identity = Identity.of("CN=listener");
        Listener listener = Listener.start(identity);
        ListenerRehearsal rehearsal = new ListenerRehearsal(vertx, "0.0.0.0", new Ports(listener.port),
                Optional.of(new KeyStoreOnly(identity.keyStore())), TIMEOUT);
        try {
            for (int round = 0; round < 16; round++) {
                rehearsal.rehearse(List.of(), TIMEOUT);
            }
            assertEquals(30, rehearsal.answers(), "a round's answers are awaited when the next one asks");
        } finally {
            rehearsal.close();
            listener.close();
        }
        assertEquals(32, rehearsal.answers(), "and the last round's when it closes");
        assertEquals(List.of("/.well-known/est/cacerts", "/.well-known/est/csrattrs"), listener.paths.subList(0, 2));
        assertEquals(2, listener.connections.get(), "a new connection after eight rounds");
        assertEquals(0, listener.credentials.get(), "no request carries a credential");
        assertEquals(32, listener.marked.get(), "every request carries the mark the meters leave out");
    }

    @Test
    void aListenerPresentingAnotherCertificateIsRefused() throws Exception {
        Listener impostor = Listener.start(Identity.of("CN=impostor"));
        ListenerRehearsal rehearsal = new ListenerRehearsal(vertx, "127.0.0.1", new Ports(impostor.port),
                Optional.of(new KeyStoreOnly(Identity.of("CN=listener").keyStore())), TIMEOUT);
        try {
            rehearsal.rehearse(List.of(), TIMEOUT);
            assertThrows(ExecutionException.class, () -> rehearsal.rehearse(List.of(), TIMEOUT),
                    "the first round's failure, found when the second one starts");
            assertEquals(0, impostor.paths.size(), "no request was sent");
        } finally {
            rehearsal.close();
            impostor.close();
        }
    }

    @Test
    void aListenerThatDoesNotAnswerFailsTheRehearsalUnlessItsTimeIsUp() throws Exception {
        Identity identity = Identity.of("CN=listener");
        Listener silent = Listener.start(identity);
        silent.answering = false;
        Duration timeout = Duration.ofMillis(500);
        ListenerRehearsal ending = new ListenerRehearsal(vertx, "127.0.0.1", new Ports(silent.port),
                Optional.of(new KeyStoreOnly(identity.keyStore())), timeout);
        ListenerRehearsal failing = new ListenerRehearsal(vertx, "127.0.0.1", new Ports(silent.port),
                Optional.of(new KeyStoreOnly(identity.keyStore())), timeout);
        try {
            ending.rehearse(List.of(), TIMEOUT);
            ending.rehearse(List.of(), Duration.ofMillis(50));
            assertEquals(0, ending.answers(), "with 50 ms left, the rehearsal is ending: no answer is no failure");
            failing.rehearse(List.of(), TIMEOUT);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> failing.rehearse(List.of(), TIMEOUT),
                    "with time left, answers that do not come within the timeout are a failure");
        } finally {
            ending.close();
            failing.close();
            silent.close();
        }
    }

    @Test
    void roundsBeforeTheListenerOpensGoOnWithoutIt() throws Exception {
        ListenerRehearsal rehearsal = new ListenerRehearsal(vertx, "127.0.0.1", new Ports(-1), Optional.empty(),
                TIMEOUT);
        rehearsal.rehearse(List.of(), TIMEOUT);
        assertEquals(0, rehearsal.answers());
        rehearsal.close();
    }

    private record Identity(X509Certificate certificate, KeyPair key) {
        static Identity of(String subject) {
            KeyPair key = TestCsrs.ecP256();
            return new Identity(CertificateAuthority.selfSignedRoot(new X500Name(subject), key.getPublic(),
                    key.getPrivate(), BC, Duration.ofDays(1), Instant.now()), key);
        }

        KeyStore keyStore() throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key.getPrivate(), new char[0], new X509Certificate[] {certificate});
            return store;
        }
    }

    /** An HTTPS server answering every request with 200, counting its connections and what it was asked. */
    private static final class Listener {
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger credentials = new AtomicInteger();
        final AtomicInteger marked = new AtomicInteger();
        final List<String> paths = new CopyOnWriteArrayList<>();
        volatile boolean answering = true;
        private io.vertx.core.http.HttpServer server;
        int port;

        static Listener start(Identity identity) throws Exception {
            Listener listener = new Listener();
            X509KeyManager keys = (X509KeyManager) TestTls.keyManagers(identity.certificate(),
                    identity.key().getPrivate())[0];
            listener.server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                    .setKeyCertOptions(KeyCertOptions.wrap(keys)))
                    .connectionHandler(connection -> listener.connections.incrementAndGet())
                    .requestHandler(request -> {
                        listener.paths.add(request.path());
                        if (request.getHeader("Authorization") != null) {
                            listener.credentials.incrementAndGet();
                        }
                        if (RehearsalMark.isCarriedBy(request.getHeader(RehearsalMark.HEADER))) {
                            listener.marked.incrementAndGet();
                        }
                        if (listener.answering) {
                            request.response().end("ok");
                        }
                    });
            listener.port = listener.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).actualPort();
            return listener;
        }

        void close() {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** Quarkus's server as the rehearsal reads it: the secure port only (-1 while it is not open). */
    private record Ports(int securePort) implements HttpServer {
        @Override
        public int getPort() {
            return securePort;
        }

        @Override
        public int getSecurePort() {
            return securePort;
        }

        @Override
        public int getManagementPort() {
            return -1;
        }

        @Override
        public URI getLocalBaseUri() {
            return URI.create("https://127.0.0.1:" + securePort);
        }
    }

    /** A TLS configuration of which the rehearsal reads the key store only. */
    private record KeyStoreOnly(KeyStore keyStore) implements TlsConfiguration {
        @Override
        public KeyStore getKeyStore() {
            return keyStore;
        }

        @Override
        public KeyCertOptions getKeyStoreOptions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyStore getTrustStore() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TrustOptions getTrustStoreOptions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SSLOptions getSSLOptions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public javax.net.ssl.SSLContext createSSLContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isTrustAll() {
            return false;
        }

        @Override
        public Optional<String> getHostnameVerificationAlgorithm() {
            return Optional.empty();
        }

        @Override
        public boolean usesSni() {
            return false;
        }

        @Override
        public boolean reload() {
            return false;
        }
    }
}
