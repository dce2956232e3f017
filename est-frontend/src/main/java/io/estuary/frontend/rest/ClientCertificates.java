package io.estuary.frontend.rest;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.estuary.frontend.listener.MalformedClientCertificateHeaderException;
import io.estuary.frontend.listener.TrustedProxyHeader;
import io.netty.handler.ssl.OpenSslSession;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The client certificate chain of a request, as the client sent it: the one a trusted proxy passed in its header
 * ({@link TrustedProxyHeader}), else the TLS session's. Every reader of a request's client certificate asks here. The
 * handshake accepts any chain, and a proxy's header is taken as it is: whoever uses the chain checks it with
 * {@link io.estuary.frontend.auth.ClientCertificatePolicy}.
 */
@Singleton
public class ClientCertificates {
    /** Routing-context key under which the reason a certificate failed to authenticate is left for
     * {@link AuthFailureFilter}. */
    public static final String AUTHENTICATION_FAILURE = "estuary.auth.certificate-failure";

    private static final String PEER_CHAIN = ClientCertificates.class.getName() + ".peer-chain";
    private static final String REQUEST_CHAIN = ClientCertificates.class.getName() + ".request-chain";
    private static final X509Certificate[] NONE = new X509Certificate[0];

    /** A request's chain and whether a trusted proxy's header carried it; read once per request. */
    private record Presented(X509Certificate[] chain, boolean forwarded) {
    }

    @Inject
    TrustedProxyHeader proxyHeader;

    /**
     * The client's chain, its own certificate first; null without a certificate.
     *
     * @throws MalformedClientCertificateHeaderException when a trusted proxy's header holds no readable certificate
     */
    public X509Certificate[] chain(RoutingContext context) {
        X509Certificate[] chain = presented(context).chain();
        return chain.length == 0 ? null : chain.clone();
    }

    /** Whether the request's chain is one a trusted proxy passed in its header (not the TLS session's). */
    public boolean forwarded(RoutingContext context) {
        return presented(context).forwarded();
    }

    private Presented presented(RoutingContext context) {
        if (context.get(REQUEST_CHAIN) instanceof Presented known) {
            return known;
        }
        X509Certificate[] forwarded = proxyHeader.chain(context.request());
        Presented presented = forwarded != null ? new Presented(forwarded, true)
                : new Presented(tlsChain(context.request()), false);
        context.put(REQUEST_CHAIN, presented);
        return presented;
    }

    private static X509Certificate[] tlsChain(HttpServerRequest request) {
        if (request == null || !request.isSSL() || request.sslSession() == null) {
            return NONE;
        }
        SSLSession session = request.sslSession();
        // Read once per TLS session: the chain is the session's, and without one the JDK answers by throwing, which
        // for Basic-authenticated clients on kept-alive connections cost an exception per request.
        if (session.getValue(PEER_CHAIN) instanceof X509Certificate[] known) {
            return known;
        }
        X509Certificate[] chain = peerChain(session);
        session.putValue(PEER_CHAIN, chain);
        return chain;
    }

    /** The session's peer chain; none when the client sent none or a certificate of another kind. */
    static X509Certificate[] peerChain(SSLSession session) {
        // OpenSSL's sessions say whether there is a chain; asking the JDK way throws for every new connection that
        // has none, as a Basic-authenticated device's each time it reconnects.
        if (session instanceof OpenSslSession openSsl && !openSsl.hasPeerCertificates()) {
            return NONE;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain == null || chain.length == 0 || !Arrays.stream(chain).allMatch(X509Certificate.class::isInstance)) {
                return NONE;
            }
            return Arrays.copyOf(chain, chain.length, X509Certificate[].class);
        } catch (SSLPeerUnverifiedException e) {
            return NONE;
        }
    }

    /**
     * Whom a certificate's failures are counted against and reported as: its subject and SHA-256 fingerprint. The
     * fingerprint, because anyone can make a certificate with a device's subject but only the device can present its
     * certificate (the handshake proves the key): failures of a forged one never lock the real one out.
     */
    public static String identity(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return certificate.getSubjectX500Principal().getName() + " sha256:" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            return certificate.getSubjectX500Principal().getName();
        }
    }
}
