package io.estuary.frontend.rest;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.vertx.core.http.HttpServerRequest;

/**
 * The TLS client certificate chain of a request, as the client sent it. The handshake accepts any chain: whoever uses
 * it checks it with {@link io.estuary.frontend.auth.ClientCertificatePolicy}.
 */
public final class ClientCertificates {
    /** Routing-context key under which the reason a certificate failed to authenticate is left for
     * {@link AuthFailureFilter}. */
    public static final String AUTHENTICATION_FAILURE = "estuary.auth.certificate-failure";

    private static final String PEER_CHAIN = ClientCertificates.class.getName() + ".peer-chain";
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private ClientCertificates() {
    }

    /** The client's chain, its own certificate first; null without a certificate. */
    public static X509Certificate[] chain(HttpServerRequest request) {
        if (request == null || !request.isSSL() || request.sslSession() == null) {
            return null;
        }
        SSLSession session = request.sslSession();
        // Read once per TLS session: the chain is the session's, and without one the JDK answers by throwing, which
        // for Basic-authenticated clients on kept-alive connections cost an exception per request.
        X509Certificate[] chain;
        if (session.getValue(PEER_CHAIN) instanceof X509Certificate[] known) {
            chain = known;
        } else {
            chain = peerChain(session);
            session.putValue(PEER_CHAIN, chain);
        }
        return chain.length == 0 ? null : chain.clone();
    }

    private static X509Certificate[] peerChain(SSLSession session) {
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
