package io.estuary.testkit;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** TLS for clients of the local stack: trust exactly the stack's trust anchor, and present a certificate if asked. */
public final class TestTls {
    private TestTls() {
    }

    /** Trusts every certificate in {@code pem}. */
    public static SSLContext trusting(Path pem) {
        return context(null, pem);
    }

    /** A private key as a server reads it from a file: PKCS#8, PEM. */
    public static String privateKeyPem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** Trusts the anchor in {@code pem} and presents {@code certificate} (mutual TLS). */
    public static SSLContext presenting(Path pem, X509Certificate certificate, PrivateKey key) {
        return context(keyManagers(certificate, key), pem);
    }

    public static KeyManager[] keyManagers(X509Certificate certificate, PrivateKey key) {
        try {
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("client", key, "pw".toCharArray(), new Certificate[] { certificate });
            KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
            factory.init(identity, "pw".toCharArray());
            return factory.getKeyManagers();
        } catch (Exception e) {
            throw new IllegalStateException("cannot present " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static SSLContext context(KeyManager[] keyManagers, Path pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate each : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem)))) {
                trust.setCertificateEntry("estuary-" + i++, each);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            TrustManager[] trustManagers = factory.getTrustManagers();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a TLS context trusting " + pem, e);
        }
    }
}
