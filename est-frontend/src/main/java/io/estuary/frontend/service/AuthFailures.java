package io.estuary.frontend.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.contracts.AuthenticationFailed;
import io.estuary.frontend.auth.FailureRateLimiter;
import io.estuary.frontend.config.AuthConfig;
import io.estuary.frontend.domain.TooManyFailuresException;
import io.vertx.ext.web.RoutingContext;

/**
 * Failed authentications: counted per identity and per source address (so guessing is slowed whichever of the two an
 * attacker varies) and published for the audit trail, without the secret that was presented. A password check that
 * costs a guess reserves its slot under both keys first ({@link #reserveCheck}), so concurrent guesses cannot outrun
 * the count. The counts are this instance's own (see docs/authentication.md on several frontends).
 */
@ApplicationScoped
public class AuthFailures {
    private static final Logger LOG = Logger.getLogger(AuthFailures.class);
    static final int LOGGED_LENGTH = 200;

    @Inject
    AuthConfig config;
    @Inject
    AuthFailurePublisher publisher;
    @Inject
    EnrollmentMetrics metrics;

    private FailureRateLimiter byIdentity;
    private FailureRateLimiter byAddress;

    @PostConstruct
    void init() {
        AuthConfig.RateLimit limit = config.rateLimit();
        byIdentity = new FailureRateLimiter(limit.perIdentity(), limit.window(), Clock.systemUTC());
        byAddress = new FailureRateLimiter(limit.perAddress(), limit.window(), Clock.systemUTC());
    }

    /**
     * {@link TooManyFailuresException} with the longer of the two waits, if the identity (may be null) or the address
     * is over its limit.
     */
    public void requireUnderLimit(String identity, String address) {
        Optional<Duration> forAddress = byAddress.retryAfter(address);
        Optional<Duration> forIdentity = identity == null ? Optional.empty() : byIdentity.retryAfter(identity);
        Optional<Duration> wait = forAddress.isEmpty() ? forIdentity
                : forIdentity.filter(d -> d.compareTo(forAddress.get()) > 0).or(() -> forAddress);
        if (wait.isPresent()) {
            throw tooManyFailures(wait.get());
        }
    }

    private static TooManyFailuresException tooManyFailures(Duration wait) {
        return new TooManyFailuresException(FailureRateLimiter.retryAfterSeconds(wait));
    }

    /** A password check allowed to run, holding a slot under its identity and its address until settled. */
    public static final class Check {
        private final FailureRateLimiter.Slot identity;
        private final FailureRateLimiter.Slot address;

        private Check(FailureRateLimiter.Slot identity, FailureRateLimiter.Slot address) {
            this.identity = identity;
            this.address = address;
        }

        /** The credential was refused: one failure of the identity and of the address. */
        public void failed() {
            identity.failed();
            address.failed();
        }

        /** The credential was accepted, or not judged. */
        public void release() {
            identity.release();
            address.release();
        }
    }

    /**
     * A slot for one password check of the identity from the address; {@link TooManyFailuresException} with the wait
     * when either is at its limit, failures and checks running counted together.
     */
    public Check reserveCheck(String identity, String address) {
        FailureRateLimiter.Reservation forIdentity = byIdentity.reserve(identity);
        if (forIdentity.retryAfter().isPresent()) {
            throw tooManyFailures(forIdentity.retryAfter().get());
        }
        FailureRateLimiter.Reservation forAddress = byAddress.reserve(address);
        if (forAddress.retryAfter().isPresent()) {
            forIdentity.slot().get().release();
            throw tooManyFailures(forAddress.retryAfter().get());
        }
        return new Check(forIdentity.slot().get(), forAddress.slot().get());
    }

    /** The client's address as the limits count it. */
    public static String addressOf(RoutingContext context) {
        return context == null || context.request().remoteAddress() == null ? "unknown"
                : context.request().remoteAddress().hostAddress();
    }

    /**
     * Client-chosen text as one log line can show it: quoted, control characters escaped (a user name with a line feed
     * must not forge a log line) and at most {@value #LOGGED_LENGTH} characters; the event keeps it whole.
     */
    static String printable(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), LOGGED_LENGTH) + 2).append('"');
        for (int i = 0; i < text.length() && i < LOGGED_LENGTH; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(text.length() > LOGGED_LENGTH ? "\"…" : "\"").toString();
    }

    /** Counts a failure of the identity (if any) and of the address, and publishes it. */
    public void recordFailure(String identity, String address, String label, String method, String reason) {
        if (identity != null) {
            byIdentity.recordFailure(identity);
        }
        byAddress.recordFailure(address);
        publish(identity, address, label, method, reason);
    }

    /** Logs and publishes a failure that was counted already (by its {@link Check}). */
    public void publish(String identity, String address, String label, String method, String reason) {
        metrics.authenticationFailed(method);
        AuthenticationFailed event = new AuthenticationFailed(UUID.randomUUID().toString(), identity, address, label,
                method, reason, Instant.now());
        LOG.infof("authentication failed: identity=%s address=%s label=%s method=%s reason=%s", printable(identity),
                address, printable(label), method, printable(reason));
        // A broker outage must not turn a 401 into a 500.
        publisher.publish(event).subscribe().with(ok -> {
                }, e -> LOG.warnf("authentication failure event %s not published: %s", event.eventId(),
                        e.getMessage()));
    }
}
