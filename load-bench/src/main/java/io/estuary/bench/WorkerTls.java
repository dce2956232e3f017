package io.estuary.bench;

import java.io.IOException;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.estuary.testkit.TestTls;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * One worker's TLS client, with a session cache of its own as a device has (with one shared by all workers, one
 * worker would resume another's session), or none: a client that never resumes, as IoT Edge opening a connection per
 * call. In BoringSSL ({@code openssl}, the default: what devices' OpenSSL-based clients cost) or the JDK's JSSE
 * ({@code jdk}: the benchmark's client before 2026-12-07, whose own handshakes cost more than the listener's on the
 * same cores).
 */
interface WorkerTls {
    /** Opens a connection and completes the handshake, resuming this worker's last session when it keeps them. */
    HttpConnection connect(String host, int port) throws IOException;

    /** {@code library} is {@code openssl} or {@code jdk}. */
    static WorkerTls of(String library, Path trust, boolean resumes) {
        return switch (library) {
            case "openssl" -> openSsl(trust, resumes);
            case "jdk" -> jdk(trust, resumes);
            default -> throw new IllegalArgumentException("--client-tls must be openssl or jdk, not " + library);
        };
    }

    private static WorkerTls jdk(Path trust, boolean resumes) {
        SSLContext context = TestTls.trusting(trust);
        return (host, port) -> HttpConnection.jdk(context, host, port, resumes);
    }

    private static WorkerTls openSsl(Path trust, boolean resumes) {
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("BoringSSL does not load here (" + OpenSsl.unavailabilityCause()
                    + "); run with --client-tls jdk");
        }
        SslContext context;
        try {
            context = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL_REFCNT)
                    .trustManager(trust.toFile()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no BoringSSL client context for " + trust + ": " + e.getMessage(), e);
        }
        ((OpenSslSessionContext) context.sessionContext()).setSessionCacheEnabled(resumes);
        return (host, port) -> HttpConnection.openSsl(context, host, port);
    }
}
