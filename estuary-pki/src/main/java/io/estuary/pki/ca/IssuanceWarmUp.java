package io.estuary.pki.ca;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.estuary.pki.policy.CertificateProfile;

/**
 * A fresh service's rehearsal of its work before it reports ready: rounds of {@link IssuanceRehearsal} (throwaway keys
 * and a throwaway CA in memory), each certificate made handed to the service's own {@link #rehearseEvents}, so the
 * first minute of real requests does not run interpreted code while the JIT compilers take the CPU. It stops after
 * the rounds given or the time limit, whichever comes first (a limit of 0 skips it), and a failure only ends it early:
 * it never keeps the service from serving.
 */
public abstract class IssuanceWarmUp {
    private static final System.Logger LOG = System.getLogger(IssuanceWarmUp.class.getName());
    /** Enough rounds for the hot methods to reach the optimising compiler (some ten thousand calls each). */
    public static final int ROUNDS = 1_500;

    private final List<CertificateProfile> profiles;
    private final Duration limit;
    private final int rounds;
    private volatile boolean done;

    protected IssuanceWarmUp(Collection<CertificateProfile> profiles, Duration limit, int rounds) {
        this.profiles = List.copyOf(profiles);
        this.limit = limit;
        this.rounds = rounds;
    }

    /** The service's own work on one certificate of a round (its events' JSON), with nothing published. */
    protected abstract void rehearseEvents(byte[] certificate, Instant now) throws java.io.IOException;

    /** Runs the rehearsal on a daemon thread of its own. */
    public void start() {
        Thread thread = new Thread(this::rehearse, "estuary-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the rehearsal is over (done, skipped, or failed). */
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
                        rehearseEvents(der, now);
                    }
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            int completed = round;
            LOG.log(System.Logger.Level.INFO, () -> String.format("warmed up in %d ms (%d rounds)", millis,
                    completed));
        } catch (java.io.IOException | RuntimeException e) {
            int completed = round;
            LOG.log(System.Logger.Level.WARNING, () -> String.format(
                    "the warm-up stopped after %d rounds: %s; ready without it", completed, e));
        } finally {
            done = true;
        }
    }
}
