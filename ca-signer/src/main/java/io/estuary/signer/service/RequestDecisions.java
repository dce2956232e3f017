package io.estuary.signer.service;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.pki.token.TokenUnavailableException;

/**
 * Answers CSR events, deciding each request at most once: a retry, a redelivery or a concurrent duplicate gets the
 * answer given before instead of a new attempt.
 */
@ApplicationScoped
public class RequestDecisions {
    private static final Logger LOG = Logger.getLogger(RequestDecisions.class);

    private final SigningService signingService;
    private final AnsweredRequests answered;
    private final SignerMetrics metrics;
    private final Map<String, CompletableFuture<IssuanceResult>> deciding = new ConcurrentHashMap<>();

    @Inject
    public RequestDecisions(SigningService signingService, AnsweredRequests answered, SignerMetrics metrics) {
        this.signingService = signingService;
        this.answered = answered;
        this.metrics = metrics;
    }

    /**
     * The answer to one request, decided at most once; null if the request was handed over to another signer while it
     * waited for the token ({@code held} turned false): nothing was signed, and its new owner answers it.
     */
    public IssuanceResult answer(CsrSubmitted request, BooleanSupplier held) {
        Decision decision;
        try {
            decision = decideOnce(request.requestId(), () -> decide(request, held));
        } catch (HandedOver | CompletionException e) {
            if (!(e instanceof HandedOver) && !(e.getCause() instanceof HandedOver)) {
                return failed(request, e);
            }
            LOG.infof("request %s was handed over to another signer while it waited for the CA; left to it",
                    request.requestId());
            return null;
        } catch (RuntimeException e) {
            return failed(request, e);
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
     * A failure a retry may not meet (the signer was stopped while the request waited for the token, or a fault outside
     * signing): answered at once and not remembered, so a retry is signed anew. Letting it out would stop this channel,
     * and every signature with it.
     */
    private IssuanceResult failed(CsrSubmitted request, RuntimeException e) {
        LOG.errorf(e, "request %s failed in the signer; answered as failed", request.requestId());
        metrics.failed("transient");
        return IssuanceResult.failed(request,
                "the signer failed on this request (internal error); nothing was signed, retry later", Instant.now());
    }

    /** The request's partition went to another signer while the request waited for the token. */
    private static final class HandedOver extends RuntimeException {
        HandedOver() {
            super(null, null, false, false);
        }
    }

    /** A decision, and whether it was made now or given earlier (a retry, a redelivery, a concurrent duplicate). */
    public record Decision(IssuanceResult result, boolean earlier) {
    }

    /**
     * Decides a request at most once although requests are processed concurrently: a duplicate arriving while the
     * first is being signed waits for that result instead of signing again; one arriving later finds it recorded.
     */
    public Decision decideOnce(String requestId, Supplier<IssuanceResult> decide) {
        CompletableFuture<IssuanceResult> mine = new CompletableFuture<>();
        CompletableFuture<IssuanceResult> running = deciding.putIfAbsent(requestId, mine);
        if (running != null) {
            return new Decision(running.join(), true);
        }
        try {
            Optional<IssuanceResult> earlier = findWaitingForTheBroker(requestId);
            if (earlier.isPresent()) {
                mine.complete(earlier.get());
                return new Decision(earlier.get(), true);
            }
            IssuanceResult result = decide.get();
            // Recorded before the claim is released, so a later duplicate finds it.
            answered.record(result);
            mine.complete(result);
            return new Decision(result, false);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            deciding.remove(requestId, mine);
        }
    }

    /**
     * A known request's answer is read back from the topic; if the broker cannot give it now, the request waits (as
     * it waits for the token) instead of failing the channel, which would stop this signer for good.
     */
    private Optional<IssuanceResult> findWaitingForTheBroker(String requestId) {
        return UntilAvailable.call(() -> answered.find(requestId), RuntimeException.class, e -> LOG.warnf(
                "request %s: its earlier answer cannot be read back yet (%s); retrying", requestId, e.getMessage()));
    }

    /**
     * Signs a request, waiting while the token is unavailable. Any other fault in signing follows from the request
     * (its CSR under its profile: the same input fails the same way), so it is answered as failed at once and
     * remembered like a decision: a retry gets the same answer instead of another attempt.
     */
    private IssuanceResult decide(CsrSubmitted request, BooleanSupplier held) {
        try {
            return signUntilCaAvailable(request, held);
        } catch (TokenUnavailableException | HandedOver e) {
            throw e; // interrupted while waiting for the token, or handed over: not the request's failure
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s failed in the signer; answered as failed, and so is every retry of it",
                    request.requestId());
            metrics.failed("fault");
            return IssuanceResult.failedDeterministically(request, "the signer failed on this request (internal "
                    + "error); nothing was signed, and sending the same request again fails the same way",
                    Instant.now());
        }
    }

    /**
     * A CSR that arrives while the token is unreachable waits for it instead of being rejected or dropped; the
     * frontend meanwhile answers its client that the request is still pending. It stops waiting once its partition
     * is handed over: the new owner may sign it as soon as its own token answers, so this signer must not too.
     */
    private IssuanceResult signUntilCaAvailable(CsrSubmitted request, BooleanSupplier held) {
        return UntilAvailable.call(() -> signingService.sign(request), TokenUnavailableException.class, e -> {
            if (!held.getAsBoolean()) {
                throw new HandedOver();
            }
            LOG.warnf("request %s waits for the CA: %s", request.requestId(), e.getMessage());
        });
    }
}
