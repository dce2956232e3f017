package io.estuary.frontend.warmup;

import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.TrustManagerFactory;

import io.estuary.pki.ca.IssuanceWarmUp;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.TrustOptions;

/**
 * The warm-up's requests to the frontend's own EST listener, once it listens: each round asks for the CA certificates
 * and the CSR attributes, as a client would (the TLS handshake and records, HTTP/1.1, the listener's guards, the
 * security checks, the resources and their answers), on a kept-alive connection that is closed every few rounds so
 * that handshakes are rehearsed too. The requests carry no credential: nothing is enrolled and no authentication
 * fails. They carry the {@link RehearsalMark}, so the EST meters do not count them. Any answer counts; only a
 * connection that fails or an answer that does not come is an error. The client trusts the listener's own
 * certificate and nothing else.
 */
final class ListenerRehearsal implements IssuanceWarmUp.Transport {
    /** Rounds between new connections: a fleet's devices mostly connect once per enrollment. */
    private static final int ROUNDS_PER_CONNECTION = 8;
    private static final Duration LAST_ROUND_WAIT = Duration.ofSeconds(1);
    private static final List<String> PATHS = List.of("/.well-known/est/cacerts", "/.well-known/est/csrattrs");

    private final Vertx vertx;
    private final String host;
    private final HttpServer server;
    private final Optional<TlsConfiguration> tls;
    private final Duration timeout;
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
    private HttpClient client;
    private int port;
    private long rounds;
    private long answers;

    /**
     * @param host the listener's bind address; a wildcard one is reached on loopback
     * @param tls the listener's TLS configuration (none: plain HTTP, as in tests)
     */
    ListenerRehearsal(Vertx vertx, String host, HttpServer server, Optional<TlsConfiguration> tls, Duration timeout) {
        this.vertx = vertx;
        this.host = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
        this.server = server;
        this.tls = tls;
        this.timeout = timeout;
    }

    /**
     * Waits for the previous round's answers (they had the caller's round of work to come), then asks this round's
     * questions: one round in flight, so the round's own work and the listener's answers overlap.
     */
    @Override
    public void rehearse(List<byte[]> records, Duration remaining) throws Exception {
        if (client == null) {
            port = tls.isPresent() ? server.getSecurePort() : server.getPort();
            if (port <= 0) {
                return; // the listener is not open yet: the rounds go on without it until it is
            }
            client = vertx.createHttpClient(options());
        }
        if (remaining.compareTo(timeout) < 0) {
            try {
                awaitAnswers(remaining);
            } catch (java.util.concurrent.TimeoutException e) {
                return; // the rehearsal is ending: its last answers do not matter
            }
        } else {
            awaitAnswers(timeout);
        }
        boolean last = ++rounds % ROUNDS_PER_CONNECTION == 0;
        for (int i = 0; i < PATHS.size(); i++) {
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                    .setURI(PATHS.get(i)).putHeader(RehearsalMark.HEADER, RehearsalMark.value());
            if (last && i == PATHS.size() - 1) {
                request.putHeader(HttpHeaders.CONNECTION, "close");
            }
            inFlight.add(client.request(request).compose(sent -> sent.send()).compose(answer -> answer.body())
                    .toCompletionStage().toCompletableFuture());
        }
    }

    private void awaitAnswers(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        for (var each = inFlight.iterator(); each.hasNext();) {
            each.next().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            each.remove();
            answers++;
        }
    }

    private HttpClientOptions options() throws Exception {
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(1)
                .setConnectTimeout((int) timeout.toMillis());
        if (tls.isEmpty()) {
            return options;
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        KeyStore listener = tls.get().getKeyStore();
        for (String alias : Collections.list(listener.aliases())) {
            Certificate certificate = listener.getCertificate(alias);
            if (certificate != null) {
                trusted.setCertificateEntry(alias, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        options.setSsl(true).setTrustOptions(TrustOptions.wrap(trust))
                // Its own certificate, reached on loopback: whatever names it carries, they are not this address.
                .setVerifyHost(false);
        if (OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        return options;
    }

    /** Answers received so far. */
    long answers() {
        return answers;
    }

    /** Waits a second at most for the last round's answers, then closes. */
    @Override
    public void close() {
        if (client != null) {
            try {
                awaitAnswers(LAST_ROUND_WAIT);
            } catch (Exception e) {
                // the rehearsal is over, and the service about to report ready: its last round does not matter
            }
            client.close();
        }
    }

    @Override
    public String toString() {
        return "requests to the listener on port " + port + " (" + answers + " answered)";
    }
}
