package io.estuary.signer.messaging;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.estuary.contracts.Channels;
import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.pki.token.TokenUnavailableException;
import io.estuary.signer.service.SignerMetrics;
import io.estuary.signer.service.SigningService;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Consumes CSR events a poll at a time and publishes each answer keyed like the request. */
@ApplicationScoped
public class CsrRequestConsumer {
    /** The worker pool requests are signed on; its size is {@code smallrye.messaging.worker.signing.max-concurrency}. */
    static final String SIGNING_POOL = "signing";
    private static final Logger LOG = Logger.getLogger(CsrRequestConsumer.class);

    @Inject
    SigningService signingService;
    @Inject
    IssuedRequests issuedRequests;
    @Inject
    IssuanceResultPublisher publisher;
    @Inject
    SignerMetrics metrics;

    @Incoming(Channels.CSR_REQUESTS)
    // The HSM call blocks. A poll's requests are signed one after another on one thread of the signing pool and their
    // answers sent from there; the poll is acknowledged once the broker has all of them. One request at a time, each
    // crossed the event loop, the pool and a sending thread (about an eighth of the signer's CPU in thread wake-ups);
    // now a poll crosses them once. Polls are signed concurrently (bounded by the pool's max-concurrency), offsets
    // are still committed in order, and a slow request (a server-generated RSA key) holds up only those polled with it.
    @Blocking(value = SIGNING_POOL, ordered = false)
    public CompletionStage<Void> onRequests(List<CsrSubmitted> requests) {
        awaitRecentResults();
        CompletableFuture<?>[] answered = new CompletableFuture<?>[requests.size()];
        for (int i = 0; i < answered.length; i++) {
            CsrSubmitted request = requests.get(i);
            IssuanceResult result = answer(request);
            answered[i] = result == null ? CompletableFuture.completedFuture(null)
                    : publisher.publish(request.requester(), result);
        }
        return CompletableFuture.allOf(answered);
    }

    /** The answer to one request, decided at most once; null for an event that could not be read. */
    IssuanceResult answer(CsrSubmitted request) {
        if (request == null) {
            // An undeserializable record: nothing to answer to, and no requester to tell.
            LOG.warn("skipped a CSR event that could not be read");
            return null;
        }
        IssuedRequests.Decision decision;
        try {
            decision = issuedRequests.decideOnce(request.requestId(), () -> decide(request));
        } catch (RuntimeException e) {
            // A failure a retry may not meet (the signer was stopped while the request waited for the token, or a
            // fault outside signing): answered at once and not remembered, so a retry is signed anew. Letting it out
            // would stop this channel, and every signature with it.
            LOG.errorf(e, "request %s failed in the signer; answered as failed", request.requestId());
            metrics.failed("transient");
            return IssuanceResult.failed(request,
                    "the signer failed on this request (internal error); nothing was signed, retry later",
                    Instant.now());
        }
        IssuanceResult result = decision.result();
        if (decision.earlier()) {
            // A retry or redelivery: answer again with what was decided, never sign twice.
            LOG.debugf("request %s was already answered; answering again", request.requestId());
        } else if (result.issued()) {
            // The audit trail records every issuance; a log line per certificate at fleet rates is only noise.
            LOG.debugf("issued serial %s to %s (request %s)", result.serialNumber(), result.deviceId(),
                    result.requestId());
        } else if (result.decided()) {
            LOG.infof("rejected request %s: %s", result.requestId(), result.reason());
        }
        return result;
    }

    /**
     * Signs a request, waiting while the token is unavailable. Any other fault in signing follows from the request
     * (its CSR under its profile: the same input fails the same way), so it is answered as failed at once and
     * remembered like a decision: a retry gets the same answer instead of another attempt.
     */
    private IssuanceResult decide(CsrSubmitted request) {
        try {
            return signUntilCaAvailable(request);
        } catch (TokenUnavailableException e) {
            throw e; // only when interrupted while waiting for the token: not the request's failure
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s failed in the signer; answered as failed, and so is every retry of it",
                    request.requestId());
            metrics.failed("fault");
            return IssuanceResult.failedDeterministically(request, "the signer failed on this request (internal "
                    + "error); nothing was signed, and sending the same request again fails the same way",
                    Instant.now());
        }
    }

    /** Until the reader has caught up, a redelivered request could not be recognised. */
    private void awaitRecentResults() {
        while (!issuedRequests.caughtUp()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading recent results", e);
            }
        }
    }

    /**
     * A CSR that arrives while the token is unreachable waits for it instead of being rejected or dropped; the
     * frontend meanwhile answers its client that the request is still pending.
     */
    private IssuanceResult signUntilCaAvailable(CsrSubmitted request) {
        return UntilAvailable.call(() -> signingService.sign(request), TokenUnavailableException.class,
                e -> LOG.warnf("request %s waits for the CA: %s", request.requestId(), e.getMessage()));
    }
}
