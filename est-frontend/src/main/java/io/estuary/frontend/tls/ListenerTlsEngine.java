package io.estuary.frontend.tls;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.frontend.config.FrontendConfig;
import io.estuary.frontend.config.FrontendConfig.TlsEngine;
import io.netty.handler.ssl.OpenSsl;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * The TLS engine of the HTTPS listener. OpenSSL (BoringSSL, through netty-tcnative) by default: its handshakes and
 * records cost a fraction of the JDK engine's, and as native code they are as fast in a pod's first second as after
 * minutes, where the JDK engine runs interpreted until the JIT has compiled it. Vert.x keeps OpenSSL's session cache,
 * so a device that reconnects resumes its session (TLS 1.3 and 1.2, EstListenerTlsTest). The JDK engine is the
 * fallback where the native library does not load, and the choice with {@code estuary.frontend.tls-engine=jdk}; it
 * writes into pooled buffers (by default Vert.x gives it an unpooled heap buffer per TLS record written, a quarter of
 * the frontend's allocation at a thousand enrollments a second). On OpenSSL the listener's key and chain are converted
 * once per pair, not per handshake ({@link ListenerKeyCertOptions}).
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

    /** Whether the listener's TLS is OpenSSL's: wanted, and the native library loads here. */
    static boolean usesOpenSsl(TlsEngine wanted) {
        return wanted == TlsEngine.OPENSSL && OpenSSLEngineOptions.isAvailable();
    }

    /** The engine options for the wanted engine, keeping what else was set on the options' engine. */
    static SSLEngineOptions engine(TlsEngine wanted, HttpServerOptions options) {
        boolean worker = options.getSslEngineOptions() != null && options.getSslEngineOptions().getUseWorkerThread();
        if (usesOpenSsl(wanted)) {
            LOG.infof("The EST listener's TLS uses %s", OpenSsl.versionString());
            return new OpenSSLEngineOptions().setUseWorkerThread(worker);
        }
        if (wanted == TlsEngine.OPENSSL) {
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
}
