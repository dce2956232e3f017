package io.estuary.frontend.listener;

import java.security.cert.X509Certificate;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The trusted-proxy mode ({@link ListenerConfig#trustedProxies()}): the client's certificate as a TLS-terminating
 * proxy passes it in a header, read only when the connection's peer is one of the trusted proxies. Built at start, so
 * a wrong setting stops the frontend rather than the first request.
 */
@Startup
@Singleton
public class TrustedProxyHeader {
    static final String SETTING = "ESTUARY_TRUSTED_PROXIES (estuary.listener.trusted-proxies)";
    private static final Logger LOG = Logger.getLogger(TrustedProxyHeader.class);

    @Inject
    ListenerConfig config;

    private TrustedProxies proxies;
    private ClientCertificateHeader header;

    @PostConstruct
    void configure() {
        proxies = TrustedProxies.parse(SETTING, config.trustedProxies().orElse(null));
        header = config.clientCertHeader();
        if (!proxies.isEmpty()) {
            LOG.infof("client certificates are read from the %s header of requests from %s: %s",
                    header.headerName(), SETTING, config.trustedProxies().orElse(""));
        }
    }

    /**
     * The chain the header carries, when the request's TCP peer is a trusted proxy and the header is there; otherwise
     * null (the header of any other peer is ignored).
     *
     * @throws MalformedClientCertificateHeaderException when a trusted proxy's header holds no readable certificate
     */
    public X509Certificate[] chain(HttpServerRequest request) {
        if (proxies.isEmpty()) {
            return null;
        }
        String value = request.getHeader(header.headerName());
        if (value == null) {
            return null;
        }
        // The connection's own peer: request.remoteAddress() would be a client-supplied X-Forwarded-For, were
        // forwarding ever enabled.
        SocketAddress peer = request.connection() == null ? null : request.connection().remoteAddress();
        String address = peer == null ? null : peer.hostAddress();
        if (!proxies.trusts(address)) {
            LOG.debugf("ignored the %s header of a request from %s, which is not a trusted proxy", header.headerName(),
                    address);
            return null;
        }
        return header.chain(value);
    }
}
