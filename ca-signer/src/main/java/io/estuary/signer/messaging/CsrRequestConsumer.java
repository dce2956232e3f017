package io.estuary.signer.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import io.estuary.contracts.Channels;
import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.signer.service.SigningService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;

/** Consumes CSR events and publishes each answer keyed like the request. */
@ApplicationScoped
public class CsrRequestConsumer {
    /** The worker pool requests are signed on; its size is {@code smallrye.messaging.worker.signing.max-concurrency}. */
    static final String SIGNING_POOL = "signing";
    private static final Logger LOG = Logger.getLogger(CsrRequestConsumer.class);

    @Inject
    SigningService signingService;
    @Inject
    IssuedRequests issuedRequests;

    @Incoming(Channels.CSR_REQUESTS)
    @Outgoing(Channels.ISSUANCE_RESULTS)
    // The HSM call blocks. Requests are independent, so several are signed at once (bounded by the pool's
    // max-concurrency); offsets are still committed in order, and a slow request (a server-generated RSA key)
    // no longer holds up the ones behind it.
    @Blocking(value = SIGNING_POOL, ordered = false)
    public Record<String, IssuanceResult> onRequest(CsrSubmitted request) {
        if (request == null) {
            // An undeserializable record: nothing to answer to, and no requester to tell.
            LOG.warn("skipped a CSR event that could not be read");
            return null;
        }
        awaitRecentResults();
        IssuedRequests.Decision decision;
        try {
            decision = issuedRequests.decideOnce(request.requestId(), () -> signUntilCaAvailable(request));
        } catch (RuntimeException e) {
            // A fault of ours, not of the request: answered at once and not recorded as a decision, so a retry is
            // signed anew. Letting it out would stop this channel, and every signature with it.
            LOG.errorf(e, "request %s failed in the signer; answered as failed", request.requestId());
            return Record.of(request.requester(), IssuanceResult.failed(request,
                    "the signer failed on this request (internal error); nothing was signed, retry later",
                    Instant.now()));
        }
        IssuanceResult result = decision.result();
        if (decision.earlier()) {
            // A retry or redelivery: answer again with what was decided, never sign twice.
            LOG.debugf("request %s was already decided; answering again", request.requestId());
        } else if (result.issued()) {
            // The audit trail records every issuance; a log line per certificate at fleet rates is only noise.
            LOG.debugf("issued serial %s to %s (request %s)", result.serialNumber(), result.deviceId(),
                    result.requestId());
        } else {
            LOG.infof("rejected request %s: %s", result.requestId(), result.reason());
        }
        return Record.of(request.requester(), result);
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
        return UntilAvailable.call(() -> signingService.sign(request), IllegalStateException.class,
                e -> LOG.warnf("request %s waits for the CA: %s", request.requestId(), e.getMessage()));
    }
}
