package io.estuary.frontend.service;

import java.security.cert.X509Certificate;
import java.security.KeyPair;
import java.time.Instant;
import java.util.UUID;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.frontend.config.FrontendConfig;
import io.estuary.frontend.messaging.CaChains;
import io.estuary.frontend.messaging.CsrPublisher;
import io.estuary.frontend.messaging.IssuanceResultReader;
import io.estuary.pki.ca.EnrollmentRequestId;
import io.estuary.pki.ca.KeyTransport;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.CsrAttributes;
import io.estuary.pki.policy.CsrPolicy;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.policy.EstOperation;
import io.estuary.pki.policy.ReenrollmentPolicy;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** One method per RFC 7030 operation; the REST layer only maps HTTP onto these. */
@ApplicationScoped
public class EnrollmentService {
    private static final Logger LOG = Logger.getLogger(EnrollmentService.class);

    @Inject
    CaChains caChains;
    @Inject
    CsrPublisher publisher;
    @Inject
    PendingEnrollments pending;
    @Inject
    IssuanceResultReader results;
    @Inject
    FrontendConfig config;
    @Inject
    EstLabels labels;
    @Inject
    EnrollmentAuthorization authorization;

    void logSignatureCheck(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        LOG.infof("CSR signatures are checked by %s", CertificationRequest.signatureCheckedBy());
    }

    /** The profile a label issues under; {@link UnknownLabelException} (404) for a label nobody configured. */
    public CertificateProfile profileFor(String label) {
        return labels.profileFor(label).orElseThrow(() -> new UnknownLabelException(label));
    }

    /** {@code /cacerts}: the chain of the CA the label's profile names, as certs-only DER. */
    public byte[] caCertificates(String label) {
        String alias = profileFor(label).caAlias();
        return caChains.certsOnly(alias).orElseThrow(() -> new EnrollmentUnavailableException(
                "the chain of CA '" + alias + "' is not known yet; retry later", null));
    }

    /** {@code /csrattrs}: DER CsrAttrs, or empty when the label's profile advertises none. */
    public Optional<byte[]> csrAttributes(String label) {
        return CsrAttributes.forProfile(profileFor(label));
    }

    /**
     * {@code /simpleenroll}: checks the CSR and the label's policy here (so bad requests never reach Kafka),
     * publishes it and waits for the signer's answer. Returns the issued certificate as certs-only DER.
     */
    public Uni<byte[]> simpleEnroll(String requester, String label, String body) {
        CertificateProfile profile = profileFor(label);
        CertificationRequest csr = CertificationRequest.fromBody(body);
        CsrPolicy.check(csr, profile);
        return enroll(requester, label, EstOperation.SIMPLE_ENROLL, csr);
    }

    /**
     * {@code /simplereenroll}: the client authenticates with the certificate it renews (its TLS client certificate,
     * which must be one Estuary issued and valid now: the handshake checks nothing); the CSR must name the same
     * subject and subjectAltName.
     *
     * @param clientChain the TLS client certificate chain of the request, or null
     */
    public Uni<byte[]> simpleReenroll(X509Certificate[] clientChain, String label, String body) {
        CertificateProfile profile = profileFor(label);
        X509Certificate current = authorization.requireRenewable(clientChain);
        CertificationRequest csr = CertificationRequest.fromBody(body);
        CsrPolicy.check(csr, profile);
        ReenrollmentPolicy.check(csr, current, profile);
        return enroll(current.getSubjectX500Principal().getName(), label, EstOperation.SIMPLE_REENROLL, csr);
    }

    /** What {@code /serverkeygen} returns: the generated private key and its certificate. */
    public record ServerGeneratedKey(byte[] pkcs8, byte[] certsOnly) {
    }

    /**
     * {@code /serverkeygen} (RFC 7030 §4.4): the signer generates the key pair and seals the private key to a one-time
     * key held only by this request; it is opened here, returned once, and never logged or stored. There is no 202 on
     * this path: a retry could not open a key sealed for another request, so the client is told to ask again.
     */
    public Uni<ServerGeneratedKey> serverKeyGen(String requester, String label, String body) {
        CertificateProfile profile = profileFor(label);
        CertificationRequest csr = CertificationRequest.fromBody(body);
        CsrPolicy.check(csr, profile);
        KeyPair transport = KeyTransport.oneTimeKeyPair();
        String requestId = UUID.randomUUID().toString();
        PendingEnrollments.Waiting waiting = pending.join(requestId);
        return publisher.publish(new CsrSubmitted(requestId, requester, label, EstOperation.SERVER_KEYGEN.path(),
                Base64Body.compact(csr.encoded()), Instant.now(), Base64Body.compact(transport.getPublic().getEncoded())))
                .onFailure().transform(e -> new EnrollmentUnavailableException("the CA cannot be reached; retry later", e))
                .chain(() -> Uni.createFrom().completionStage(waiting.answer().copy()))
                .ifNoItem().after(config.signerWait()).failWith(() -> new EnrollmentUnavailableException(
                        "the CA has not answered in time; send a new request", null))
                .onTermination().invoke(() -> pending.forget(requestId))
                .map(result -> {
                    byte[] certsOnly = certificateOrRejection(result);
                    if (result.encryptedPrivateKey() == null) {
                        throw new IllegalStateException("the signer returned no key for a serverkeygen request");
                    }
                    return new ServerGeneratedKey(KeyTransport.open(Base64.getDecoder().decode(
                            result.encryptedPrivateKey()), transport.getPrivate()), certsOnly);
                });
    }

    /**
     * Hands a checked request to the signer at most once. A retry of the same request (same requester, label and CSR)
     * gets the answer already given, joins the wait already running, or — on another instance that never saw it —
     * republishes it under the same id, which the signer answers without signing again.
     */
    private Uni<byte[]> enroll(String requester, String label, EstOperation operation, CertificationRequest csr) {
        byte[] der = csr.encoded();
        String requestId = EnrollmentRequestId.of(requester, label, operation.path(), der);
        if (results.knows(requestId)) {
            // A retry of a decided request: its answer is read back from the topic, off the event loop.
            return Uni.createFrom().item(() -> results.find(requestId))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .onFailure().transform(e -> new EnrollmentUnavailableException(
                            "the earlier answer to this request cannot be read; retry later", e))
                    .chain(decided -> decided.isPresent()
                            ? Uni.createFrom().item(certificateOrRejection(decided.get()))
                            : submit(requestId, requester, label, operation, der));
        }
        return submit(requestId, requester, label, operation, der);
    }

    private Uni<byte[]> submit(String requestId, String requester, String label, EstOperation operation, byte[] der) {
        PendingEnrollments.Waiting waiting = pending.join(requestId);
        if (results.knows(requestId)) {
            // The answer arrived between the lookup and the join, so the reader found nobody waiting: hand it over.
            Uni.createFrom().item(() -> results.find(requestId))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe().with(found -> found.ifPresent(pending::complete),
                            e -> LOG.warnf("request %s: the answer could not be read back: %s", requestId, e));
        }
        Uni<Void> sent = Uni.createFrom().voidItem();
        if (waiting.first()) {
            sent = publisher.publish(new CsrSubmitted(requestId, requester, label, operation.path(),
                    Base64Body.compact(der), Instant.now()))
                    .onFailure().transform(e -> {
                        pending.forget(requestId);
                        LOG.errorf("request %s could not be published: %s", requestId, e.getMessage());
                        return new EnrollmentUnavailableException("the CA cannot be reached; retry later", e);
                    });
        }
        // A copy: the timeout cancels what it waits on, and the shared answer must outlive this wait.
        return sent.chain(() -> Uni.createFrom().completionStage(waiting.answer().copy()))
                .ifNoItem().after(config.signerWait()).failWith(() -> {
                    LOG.infof("request %s: no answer from the signer within %s; told the client to retry",
                            requestId, config.signerWait());
                    return new EnrollmentPendingException("the CA has not answered yet; retry this request later",
                            config.retryAfterSeconds());
                })
                .map(EnrollmentService::certificateOrRejection);
    }

    private static byte[] certificateOrRejection(IssuanceResult result) {
        if (!result.decided()) {
            throw new EnrollmentFailedException(result.reason());
        }
        if (!result.issued()) {
            throw new EnrollmentRejectedException(result.reason());
        }
        try {
            return CertsOnly.encodeDer(List.of(Base64.getDecoder().decode(result.certificate())));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("the signer returned an unreadable certificate", e);
        }
    }
}
