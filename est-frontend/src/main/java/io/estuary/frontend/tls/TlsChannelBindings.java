package io.estuary.frontend.tls;

import java.util.Optional;

import org.bouncycastle.jsse.BCSSLConnection;
import org.bouncycastle.jsse.BCSSLEngine;

import io.estuary.pki.ChannelBinding;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/** The channel binding of the TLS connection a request arrived on, where the listener's engine exports it. */
public final class TlsChannelBindings {
    private TlsChannelBindings() {
    }

    /**
     * {@code tls-unique} on TLS 1.2 (RFC 7030 §3.5). Empty over plain HTTP, on the JDK's engine (which exports no
     * binding before Java 25), and on TLS 1.3: its {@code tls-exporter} (RFC 9266) derives from the exporter secret,
     * which Bouncy Castle 1.84 wipes as the handshake completes, before any request can ask for it.
     */
    public static Optional<ChannelBinding> of(HttpServerRequest request) {
        if (request == null || !request.isSSL() || !(request.connection() instanceof ConnectionBase connection)) {
            return Optional.empty();
        }
        SslHandler tls = connection.channel().pipeline().get(SslHandler.class);
        if (tls == null || !(tls.engine() instanceof BCSSLEngine engine)) {
            return Optional.empty();
        }
        BCSSLConnection established = engine.getConnection();
        if (established == null) {
            return Optional.empty();
        }
        String type = "TLSv1.3".equals(established.getSession().getProtocol()) ? ChannelBinding.TLS_EXPORTER
                : ChannelBinding.TLS_UNIQUE;
        byte[] value = established.getChannelBinding(type);
        return value == null ? Optional.empty() : Optional.of(new ChannelBinding(type, value));
    }
}
