package io.estuary.frontend.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.frontend.config.FrontendConfig;
import io.estuary.pki.ca.EnrollmentRequestId;
import io.estuary.pki.ca.IssuanceRehearsal;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.wire.Base64Body;
import io.quarkus.runtime.StartupEvent;

/**
 * A fresh frontend rehearses an enrollment's own work before it reports ready: the CSR checks under every profile
 * and the events' JSON both ways, with throwaway keys and a throwaway CA ({@link IssuanceRehearsal}), so the first
 * minute of real traffic does not run interpreted code while the JIT compilers take the CPU. Nothing is published and
 * no CA of the deployment signs; it ends after {@code estuary.frontend.warm-up} at most (0 skips it).
 */
@Singleton
public class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    /** Enough rounds for the hot methods to reach the optimising compiler (some ten thousand calls each). */
    static final int ROUNDS = 1_500;

    private final Collection<CertificateProfile> profiles;
    private final ObjectMapper json;
    private final Duration limit;
    private final int rounds;
    private volatile boolean done;

    @Inject
    public WarmUp(EstLabels labels, ObjectMapper json, FrontendConfig config) {
        this(labels.profiles().values().stream().distinct().toList(), json, config.warmUp(), ROUNDS);
    }

    public WarmUp(Collection<CertificateProfile> profiles, ObjectMapper json, Duration limit, int rounds) {
        this.profiles = profiles;
        this.json = json;
        this.limit = limit;
        this.rounds = rounds;
    }

    void start(@Observes StartupEvent event) {
        Thread thread = new Thread(this::rehearse, "estuary-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the rehearsal is over (done, skipped, or failed: it never keeps the service from serving). */
    public boolean done() {
        return done;
    }

    /** Runs the rehearsal on the calling thread, then marks it done. */
    public void rehearse() {
        long started = System.nanoTime();
        int round = 0;
        try {
            if (!limit.isZero() && !limit.isNegative()) {
                IssuanceRehearsal rehearsal = new IssuanceRehearsal(profiles);
                long deadline = started + limit.toNanos();
                for (; round < rounds && System.nanoTime() - deadline < 0; round++) {
                    Instant now = Instant.now();
                    for (byte[] der : rehearsal.round(now)) {
                        String csr = Base64Body.compact(der);
                        String requestId = EnrollmentRequestId.of("warm-up", "", "simpleenroll", der);
                        json.writeValueAsBytes(new CsrSubmitted(requestId, "warm-up", "", "simpleenroll", csr, now));
                        byte[] answer = json.writeValueAsBytes(new IssuanceResult(requestId, "warm-up", "",
                                IssuanceResult.Outcome.ISSUED, null, "warm-up", "CN=warm-up", UUID.randomUUID()
                                        .toString(), "CN=warm-up", now, now, Base64.getEncoder().encodeToString(der),
                                now));
                        json.readValue(answer, IssuanceResult.class);
                    }
                }
            }
            LOG.infof("warmed up in %d ms (%d rounds)", (System.nanoTime() - started) / 1_000_000, round);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("the warm-up stopped after %d rounds: %s; ready without it", round, e.toString());
        } finally {
            done = true;
        }
    }
}
