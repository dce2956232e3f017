package io.estuary.frontend.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.estuary.frontend.config.FrontendConfig;
import io.estuary.pki.CertsOnly;

/** The CA certificates this frontend serves; public material only, never key material. */
@ApplicationScoped
public class CaChain {
    private final List<X509Certificate> certificates;
    private final byte[] certsOnly;

    @Inject
    public CaChain(FrontendConfig config) {
        try (InputStream in = Files.newInputStream(config.caChainFile())) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot read the CA chain " + config.caChainFile() + ": " + e.getMessage(),
                    e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException("no certificate in " + config.caChainFile());
        }
        certsOnly = CertsOnly.encode(certificates);
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** The chain as a DER certs-only PKCS#7. */
    public byte[] certsOnly() {
        return certsOnly.clone();
    }
}
