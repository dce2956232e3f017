package io.estuary.frontend.auth;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The EST listener's handshake accepts any client certificate chain: a certificate that is expired, from a foreign
 * CA or otherwise unacceptable must get an HTTP answer with a reason (401/403), which a failed handshake cannot give.
 * What the handshake still proves is that the client holds the private key of the certificate it sent (its
 * CertificateVerify signature is checked by the TLS engine, not by this class).
 *
 * <p>This is safe only because every use of a client certificate checks it itself, in full (chain and signatures to a
 * CA Estuary trusts, validity now, what the certificate may do), in {@link ClientCertificatePolicy}:
 * <ul>
 * <li>{@code simpleenroll} and {@code serverkeygen}: {@code EnrollmentAuthorization.requireLabel} with the chain of
 * the TLS session, before anything is issued;</li>
 * <li>{@code simplereenroll}: {@code EnrollmentService.simpleReenroll} through
 * {@code EnrollmentAuthorization.requireRenewable};</li>
 * <li>Quarkus' mTLS mechanism turns any presented certificate into a {@code SecurityIdentity} (no roles); it is used
 * only behind {@code requireLabel}, which judges the certificate and not the identity;</li>
 * <li>{@code AuthFailureFilter} only reads the certificate to name whom failures are counted against;</li>
 * <li>{@code cacerts} and {@code csrattrs} ignore certificates.</li>
 * </ul>
 * A new use of the peer certificates must go through {@link ClientCertificatePolicy} too.
 *
 * <p>No CA names are sent in the certificate request ({@link #getAcceptedIssuers()} is empty), so a client sends its
 * certificate whichever CA issued it and learns why it is refused.
 */
public final class AnyClientCertificateTrustManager extends X509ExtendedTrustManager {

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no client certificate");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager judges TLS clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
