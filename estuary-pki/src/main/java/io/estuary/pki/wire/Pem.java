package io.estuary.pki.wire;

import java.io.IOException;
import java.io.StringWriter;
import java.security.cert.X509Certificate;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM text for certificates handed to operators and clients. */
public final class Pem {
    private Pem() {
    }

    public static String encode(X509Certificate... certificates) {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pem.toString();
    }
}
