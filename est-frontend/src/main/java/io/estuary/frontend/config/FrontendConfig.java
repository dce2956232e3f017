package io.estuary.frontend.config;

import java.time.Duration;

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
     * Whether the EST listener's TLS uses AWS-LC (the native provider, first in the JVM) where it loads: several
     * times cheaper handshakes for clients that open a connection per request. False keeps the JDK's providers.
     */
    @WithDefault("true")
    boolean nativeTlsCrypto();
}
