package io.estuary.frontend.listener;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long the EST listener waits for each part of a request, how many connections one address may hold, and which
 * peers (TLS-terminating proxies) may pass a client's certificate in a header.
 */
@ConfigMapping(prefix = "estuary.listener")
public interface ListenerConfig {

    /** From connecting (TLS handshake included), or from a kept-alive request's first byte, to its complete head. */
    @WithDefault("PT20S")
    Duration headerTimeout();

    /** From a request's head to the end of its body. */
    @WithDefault("PT30S")
    Duration bodyTimeout();

    /** How long a kept-alive connection may wait, silent, for its next request. */
    @WithDefault("PT15S")
    Duration keepAliveTimeout();

    /** Open connections one source address may hold; more are closed as they arrive. */
    @WithDefault("1000")
    int maxConnectionsPerAddress();

    /**
     * Addresses and CIDRs (comma-separated, IPv4 and IPv6) of the proxies whose client-certificate header is read
     * ({@link TrustedProxies}); unset, no header is read.
     */
    Optional<String> trustedProxies();

    /** The header a trusted proxy passes the client's certificate in. */
    @WithDefault("ssl-client-cert")
    ClientCertificateHeader clientCertHeader();
}
