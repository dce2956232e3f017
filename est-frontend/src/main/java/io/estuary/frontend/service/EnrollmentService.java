package io.estuary.frontend.service;

import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.frontend.config.FrontendConfig;
import io.estuary.frontend.messaging.CsrPublisher;
import io.estuary.pki.Base64Body;
import io.estuary.pki.CertificationRequest;
import io.estuary.pki.CertsOnly;
import io.smallrye.mutiny.Uni;

/** One method per RFC 7030 operation; the REST layer only maps HTTP onto these. */
@ApplicationScoped
public class EnrollmentService {
    private static final Logger LOG = Logger.getLogger(EnrollmentService.class);

    @Inject
    CaChain caChain;
    @Inject
    CsrPublisher publisher;
    @Inject
    PendingEnrollments pending;
    @Inject
    FrontendConfig config;

    /** {@code /cacerts}: the CA chain as certs-only DER. */
    public byte[] caCertificates() {
        return caChain.certsOnly();
    }

    /**
     * {@code /simpleenroll}: checks the CSR here (so garbage never reaches Kafka), publishes it and waits for the
     * signer's answer. Returns the issued certificate as certs-only DER.
     */
    public Uni<byte[]> simpleEnroll(String requester, String label, String body) {
        CertificationRequest csr = CertificationRequest.fromBody(body);
        String requestId = UUID.randomUUID().toString();
        CsrSubmitted event = new CsrSubmitted(requestId, requester, label, "simpleenroll",
                Base64Body.compact(csr.encoded()), Instant.now());
        var answer = pending.register(requestId);
        return publisher.publish(event)
                .onItem().transformToUni(sent -> Uni.createFrom().completionStage(answer))
                .ifNoItem().after(config.signerWait()).failWith(() -> {
                    LOG.warnf("request %s: no answer from the signer within %s", requestId, config.signerWait());
                    return new EnrollmentPendingException("the CA has not answered yet; retry later",
                            config.retryAfterSeconds());
                })
                .onTermination().invoke(() -> pending.forget(requestId))
                .map(EnrollmentService::certificateOrRejection);
    }

    private static byte[] certificateOrRejection(IssuanceResult result) {
        if (!result.issued()) {
            throw new EnrollmentRejectedException(result.reason());
        }
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(result.certificate())));
            return CertsOnly.encode(List.of(certificate));
        } catch (CertificateException e) {
            throw new IllegalStateException("the signer returned an unreadable certificate", e);
        }
    }
}
