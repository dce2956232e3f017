package io.estuary.frontend.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "estuary.frontend")
public interface FrontendConfig {

    /** How long an enrollment waits for the signer before the client is told to retry. */
    @WithDefault("PT30S")
    Duration signerWait();

    /** Seconds a client is told to wait before retrying a request the signer has not answered. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** How long a decided request is remembered, so that a retry of it gets the same answer. */
    @WithDefault("PT15M")
    Duration retryWindow();

    /**
     * How many of the latest results are kept whole (about 1.5 KB each), so a retry of one is answered from memory;
     * an older one within the retry window is read back from the topic, the same answer at the cost of a fetch.
     */
    @WithDefault("50000")
    int retryResultsHeld();

    /**
     * How long a fresh frontend may rehearse an enrollment's work with throwaway keys before it reports ready (it
     * stops sooner once the rehearsal is done); 0 skips it.
     */
    @WithDefault("PT30S")
    Duration warmUp();

    /**
     * Whether the EST listener's TLS uses AWS-LC (the native provider, first in the JVM) where it loads: several
     * times cheaper handshakes for clients that open a connection per request. False keeps the JDK's providers.
     */
    @WithDefault("true")
    boolean nativeTlsCrypto();

    /**
     * The EST listener's TLS engine: OpenSSL (BoringSSL through netty-tcnative, where it loads; else the JDK's) or the
     * JDK's.
     */
    @WithDefault("openssl")
    TlsEngine tlsEngine();

    /**
     * The EST listener's certificate, then the chain of CAs above it, PEM. Read at start and again every
     * {@link #tlsReloadPeriod()}: a rotated certificate is served without a restart.
     */
    Optional<Path> tlsCertificate();

    /** The EST listener's private key, PEM (PKCS#8, or PKCS#1 and SEC 1). */
    Optional<Path> tlsKey();

    /** How often the listener's certificate and key files are read again; 0 reads them at start only. */
    @WithDefault("PT1M")
    Duration tlsReloadPeriod();

    /** The TLS engines the EST listener can use. */
    enum TlsEngine {
        OPENSSL, JDK
    }
}
