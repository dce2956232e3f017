package io.estuary.frontend.tls;

import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

/**
 * The EST listener's TLS through Bouncy Castle's JSSE instead of the JDK's: it exports the channel bindings RFC 7030
 * §3.5 links a CSR to ({@code tls-unique}, and {@code tls-exporter} for TLS 1.3), which the JDK's JSSE keeps to itself.
 * Everything else (keys, trust, protocols, client authentication) comes from the listener's configuration as before.
 */
final class BouncyCastleTlsEngine extends JdkSSLEngineOptions {
    // Its own crypto provider: Bouncy Castle JSSE needs the BC provider's DEFAULT SecureRandom, and BC is not
    // registered globally (see CertificationRequest).
    private static final BouncyCastleJsseProvider PROVIDER = new BouncyCastleJsseProvider(new BouncyCastleProvider());

    BouncyCastleTlsEngine() {
    }

    BouncyCastleTlsEngine(BouncyCastleTlsEngine other) {
        super(other);
    }

    @Override
    public JdkSSLEngineOptions copy() {
        return new BouncyCastleTlsEngine(this);
    }

    @Override
    public SslContextFactory sslContextFactory() {
        return new ContextFactory();
    }

    private static final class ContextFactory implements SslContextFactory {
        private Set<String> cipherSuites;
        private ClientAuth clientAuth;
        private boolean forClient;
        private KeyManagerFactory keyManagers;
        private TrustManagerFactory trustManagers;

        @Override
        public SslContextFactory useAlpn(boolean useAlpn) {
            // The listener speaks HTTP/1.1 only (no ALPN); nothing to negotiate.
            return this;
        }

        @Override
        public SslContextFactory clientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
            return this;
        }

        @Override
        public SslContextFactory forClient(boolean forClient) {
            this.forClient = forClient;
            return this;
        }

        @Override
        public SslContextFactory keyMananagerFactory(KeyManagerFactory keyManagers) {
            this.keyManagers = keyManagers;
            return this;
        }

        @Override
        public SslContextFactory trustManagerFactory(TrustManagerFactory trustManagers) {
            this.trustManagers = trustManagers;
            return this;
        }

        @Override
        public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
            this.cipherSuites = cipherSuites;
            return this;
        }

        @Override
        public SslContextFactory applicationProtocols(List<String> protocols) {
            return this;
        }

        @Override
        public SslContext create() throws SSLException {
            if (forClient) {
                throw new SSLException("the Bouncy Castle engine is for the EST listener only");
            }
            SslContextBuilder builder = SslContextBuilder.forServer(keyManagers).sslProvider(SslProvider.JDK)
                    .sslContextProvider(PROVIDER);
            if (trustManagers != null) {
                builder.trustManager(trustManagers);
            }
            if (cipherSuites != null && !cipherSuites.isEmpty()) {
                // Names the JDK knows and Bouncy Castle does not are left out rather than failing the listener.
                builder.ciphers(cipherSuites, SupportedCipherSuiteFilter.INSTANCE);
            }
            if (clientAuth != null) {
                builder.clientAuth(clientAuth);
            }
            return builder.build();
        }
    }
}
