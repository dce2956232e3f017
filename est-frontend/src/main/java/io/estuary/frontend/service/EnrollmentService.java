package io.estuary.frontend.service;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.frontend.config.FrontendConfig;
import io.estuary.frontend.domain.EnrollmentFailedException;
import io.estuary.frontend.domain.EnrollmentPendingException;
import io.estuary.frontend.domain.EnrollmentRejectedException;
import io.estuary.frontend.domain.EnrollmentUnavailableException;
import io.estuary.frontend.domain.OperationNotSupportedException;
import io.estuary.frontend.domain.ServerGeneratedKey;
import io.estuary.frontend.domain.UnknownLabelException;
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
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The EST backend: one method per RFC 7030 operation, each handed what the request carries (the authenticated
 * identity, the TLS client certificate chain or null, the label — {@code ""} for the unlabelled path — and the body)
 * and making every decision about it; refusals are exceptions of {@code domain/}, which the REST layer maps to
 * statuses.
 */
@ApplicationScoped
public class EnrollmentService {
    private static final Logger LOG = Logger.getLogger(EnrollmentService.class);

    @Inject
    CaChainSource caChains;
    @Inject
    CsrPublisher publisher;
    @Inject
    PendingEnrollments pending;
    @Inject
    IssuanceResults results;
    @Inject
    FrontendConfig config;
    @Inject
    EstLabels labels;
    @Inject
    EnrollmentAuthorization authorization;
    @Inject
    EnrollmentMetrics metrics;

    void logSignatureCheck(@Observes StartupEvent event) {
        LOG.infof("CSR signatures are checked by %s", CertificationRequest.signatureCheckedBy());
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
     * {@code /simpleenroll}: checks the client may enroll on the label, then the CSR against the profile of the label
     * it enrolls under (so bad requests never reach Kafka), publishes it and waits for the signer's answer. Returns
     * the issued certificate as certs-only DER.
     *
     * @param clientChain the TLS client certificate chain of the request, or null
     */
    public Uni<byte[]> simpleEnroll(SecurityIdentity identity, X509Certificate[] clientChain, String label,
            String body) {
        String enrollAs = requireEnrollment(identity, clientChain, label);
        CertificationRequest csr = checkedCsr(enrollAs, body);
        return enroll(identity.getPrincipal().getName(), enrollAs, EstOperation.SIMPLE_ENROLL, csr);
    }

    /**
     * {@code /simplereenroll}: the client authenticates with the certificate it renews (its TLS client certificate,
     * which must be one Estuary issued and valid now: the handshake checks nothing); the CSR must name the same
     * subject and subjectAltName. The identity is not used: the certificate is the credential.
     *
     * @param clientChain the TLS client certificate chain of the request, or null
     */
    public Uni<byte[]> simpleReenroll(SecurityIdentity identity, X509Certificate[] clientChain, String label,
            String body) {
        CertificateProfile profile = profileFor(label);
        X509Certificate current = authorization.requireRenewable(clientChain);
        CertificationRequest csr = CertificationRequest.fromBody(body);
        CsrPolicy.check(csr, profile);
        ReenrollmentPolicy.check(csr, current, profile);
        return enroll(current.getSubjectX500Principal().getName(), label, EstOperation.SIMPLE_REENROLL, csr);
    }

    /**
     * {@code /serverkeygen} (RFC 7030 §4.4): the signer generates the key pair and seals the private key to a one-time
     * key held only by this request; it is opened here, returned once, and never logged or stored. There is no 202 on
     * this path: a retry could not open a key sealed for another request, so the client is told to ask again.
     *
     * @param clientChain the TLS client certificate chain of the request, or null
     */
    public Uni<ServerGeneratedKey> serverKeyGen(SecurityIdentity identity, X509Certificate[] clientChain,
            String label, String body) {
        String enrollAs = requireEnrollment(identity, clientChain, label);
        CertificationRequest csr = checkedCsr(enrollAs, body);
        KeyPair transport = KeyTransport.oneTimeKeyPair();
        String requestId = UUID.randomUUID().toString();
        CsrSubmitted request = new CsrSubmitted(requestId, identity.getPrincipal().getName(), enrollAs,
                EstOperation.SERVER_KEYGEN.path(), Base64Body.compact(csr.encoded()), Instant.now(),
                Base64Body.compact(transport.getPublic().getEncoded()));
        return signerAnswer(request, () -> new EnrollmentUnavailableException(
                "the CA has not answered in time; send a new request", null))
                // Nobody else can wait for this request: its answer is of no use once this wait ends.
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

    /** {@code /fullcmc}: not offered, on any label that exists. */
    public void fullCmc(String label) {
        profileFor(label);
        throw new OperationNotSupportedException("Full CMC is not supported; use simpleenroll");
    }

    /** The profile a label issues under; {@link UnknownLabelException} for a label nobody configured. */
    private CertificateProfile profileFor(String label) {
        return labels.profileFor(label).orElseThrow(() -> new UnknownLabelException(label));
    }

    /** The label a client may enroll on exists and this client may enroll there; returns the label it enrolls as. */
    private String requireEnrollment(SecurityIdentity identity, X509Certificate[] clientChain, String label) {
        profileFor(label);
        return authorization.requireLabel(identity, clientChain, label);
    }

    private CertificationRequest checkedCsr(String label, String body) {
        CertificateProfile profile = profileFor(label);
        CertificationRequest csr = CertificationRequest.fromBody(body);
        CsrPolicy.check(csr, profile);
        return csr;
    }

    /**
     * Hands a checked request to the signer at most once. A retry of the same request (same requester, label and CSR)
     * gets the answer already given, joins the wait already running, or — on another instance that never saw it —
     * republishes it under the same id, which the signer answers without signing again. A request the signer has not
     * answered within the wait is pending (202): its retry joins this wait or finds the answer.
     */
    private Uni<byte[]> enroll(String requester, String label, EstOperation operation, CertificationRequest csr) {
        byte[] der = csr.encoded();
        String requestId = EnrollmentRequestId.of(requester, label, operation.path(), der);
        Supplier<Uni<byte[]>> submit = () -> signerAnswer(
                new CsrSubmitted(requestId, requester, label, operation.path(), Base64Body.compact(der), Instant.now()),
                () -> new EnrollmentPendingException("the CA has not answered yet; retry this request later",
                        config.retryAfterSeconds()))
                .map(EnrollmentService::certificateOrRejection);
        if (results.knows(requestId)) {
            // A retry of a decided request: answered from memory when it is one of the latest, at no more cost than a
            // fresh request; an older one is read back from the topic, off the event loop.
            Optional<IssuanceResult> held = results.findHeld(requestId);
            if (held.isPresent()) {
                return Uni.createFrom().item(() -> certificateOrRejection(held.get()));
            }
            return Uni.createFrom().item(() -> results.find(requestId))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .onFailure().transform(e -> new EnrollmentUnavailableException(
                            "the earlier answer to this request cannot be read; retry later", e))
                    .chain(decided -> decided.isPresent()
                            ? Uni.createFrom().item(certificateOrRejection(decided.get()))
                            : submit.get());
        }
        return submit.get();
    }

    /**
     * The signer round trip: publishes the request unless this instance already waits for it, and waits for the
     * answer up to the configured wait; a request still unanswered then fails with what {@code whenSilent} gives.
     */
    private Uni<IssuanceResult> signerAnswer(CsrSubmitted request, Supplier<RuntimeException> whenSilent) {
        String requestId = request.requestId();
        PendingEnrollments.Waiting waiting = pending.join(requestId);
        if (results.knows(requestId)) {
            // The answer arrived between the lookup and the join, so the reader found nobody waiting: hand it over.
            Uni.createFrom().item(() -> results.find(requestId))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe().with(found -> found.ifPresent(pending::complete),
                            e -> LOG.warnf("request %s: the answer could not be read back: %s", requestId, e));
        }
        long started = System.nanoTime();
        AtomicBoolean silent = new AtomicBoolean();
        Uni<Void> sent = Uni.createFrom().voidItem();
        if (waiting.first()) {
            sent = publisher.publish(request)
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
                    silent.set(true);
                    return whenSilent.get();
                })
                .onItemOrFailure().invoke((answer, failure) -> metrics.signerRoundTrip(
                        failure == null ? "answered" : silent.get() ? "silent" : "unreachable",
                        System.nanoTime() - started));
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
