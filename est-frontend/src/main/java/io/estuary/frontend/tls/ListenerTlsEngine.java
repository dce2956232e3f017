package io.estuary.frontend.tls;

import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.frontend.config.FrontendConfig;
import io.estuary.frontend.config.FrontendConfig.TlsEngine;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

/**
 * The TLS engine of the HTTPS listener. OpenSSL (BoringSSL, through netty-tcnative) by default: its handshakes and
 * records cost a fraction of the JDK engine's, and as native code they are as fast in a pod's first second as after
 * minutes, where the JDK engine runs interpreted until the JIT has compiled it. With OpenSSL the listener issues TLS
 * 1.3 session tickets (keys made and rotated by BoringSSL) and keeps a TLS 1.2 session cache, so a device that
 * reconnects resumes its session. The JDK engine is the fallback where the native library does not load, and the
 * choice with {@code estuary.frontend.tls-engine=jdk}; it writes into pooled buffers (by default Vert.x gives it an
 * unpooled heap buffer per TLS record written, a quarter of the frontend's allocation at a thousand enrollments a
 * second).
 */
@ApplicationScoped
public class ListenerTlsEngine implements HttpServerOptionsCustomizer {
    private static final Logger LOG = Logger.getLogger(ListenerTlsEngine.class);

    @Inject
    FrontendConfig config;

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        options.setSslEngineOptions(engine(config.tlsEngine(), options));
    }

    /** The engine options for the wanted engine, keeping what else was set on the options' engine. */
    static io.vertx.core.net.SSLEngineOptions engine(TlsEngine wanted, HttpServerOptions options) {
        boolean worker = options.getSslEngineOptions() != null && options.getSslEngineOptions().getUseWorkerThread();
        if (wanted == TlsEngine.OPENSSL) {
            if (OpenSSLEngineOptions.isAvailable()) {
                LOG.infof("The EST listener's TLS uses %s", OpenSsl.versionString());
                return new TicketIssuingOpenSsl().setUseWorkerThread(worker);
            }
            LOG.warnf("The EST listener's TLS uses the JDK engine: OpenSSL does not load here (%s)",
                    OpenSsl.unavailabilityCause());
        } else {
            LOG.info("The EST listener's TLS uses the JDK engine (estuary.frontend.tls-engine=jdk)");
        }
        JdkSSLEngineOptions jdk = options.getSslEngineOptions() instanceof JdkSSLEngineOptions kept
                ? new JdkSSLEngineOptions(kept)
                : new JdkSSLEngineOptions();
        return jdk.setPooledHeapBuffers(true).setUseWorkerThread(worker);
    }

    /**
     * Vert.x's OpenSSL engine with session tickets on: netty turns them off by default (so that a server session's id
     * works as in the JDK engine), which in TLS 1.3 leaves no way to resume.
     */
    static final class TicketIssuingOpenSsl extends OpenSSLEngineOptions {
        TicketIssuingOpenSsl() {
        }

        TicketIssuingOpenSsl(TicketIssuingOpenSsl other) {
            super(other);
        }

        @Override
        public TicketIssuingOpenSsl copy() {
            return new TicketIssuingOpenSsl(this);
        }

        @Override
        public SslContextFactory sslContextFactory() {
            return new TicketIssuingContexts(super.sslContextFactory());
        }
    }

    /** Makes contexts as Vert.x's factory does, then lets a server context issue session tickets. */
    private record TicketIssuingContexts(SslContextFactory delegate) implements SslContextFactory {
        @Override
        public SslContextFactory useAlpn(boolean useAlpn) {
            delegate.useAlpn(useAlpn);
            return this;
        }

        @Override
        public SslContextFactory clientAuth(ClientAuth clientAuth) {
            delegate.clientAuth(clientAuth);
            return this;
        }

        @Override
        public SslContextFactory forClient(boolean forClient) {
            delegate.forClient(forClient);
            return this;
        }

        @Override
        public SslContextFactory keyMananagerFactory(KeyManagerFactory factory) {
            delegate.keyMananagerFactory(factory);
            return this;
        }

        @Override
        public SslContextFactory trustManagerFactory(TrustManagerFactory factory) {
            delegate.trustManagerFactory(factory);
            return this;
        }

        @Override
        public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
            delegate.enabledCipherSuites(cipherSuites);
            return this;
        }

        @Override
        public SslContextFactory applicationProtocols(List<String> protocols) {
            delegate.applicationProtocols(protocols);
            return this;
        }

        @Override
        public SslContextFactory serverName(String serverName) {
            delegate.serverName(serverName);
            return this;
        }

        @Override
        public SslContext create() throws SSLException {
            SslContext context = delegate.create();
            if (context.isServer() && context.sessionContext() instanceof OpenSslSessionContext sessions) {
                sessions.setTicketKeys(); // BoringSSL makes the keys and rotates them
            }
            return context;
        }
    }
}
