package io.estuary.console.domain;

import java.time.Instant;
import java.util.List;

/** A CA as the frontend's {@code GET /api/cas} shows it: its certificate, who issues under it, its chain. */
public record CaInformation(String alias, String subject, String issuer, String serialNumber, Instant notBefore,
        Instant notAfter, List<String> profiles, List<String> labels, Instant publishedAt,
        List<ChainCertificate> chain) {

    /** One certificate of the chain, the CA's own first. */
    public record ChainCertificate(String subject, String issuer, String serialNumber, Instant notBefore,
            Instant notAfter, String sha256Fingerprint) {
    }
}
