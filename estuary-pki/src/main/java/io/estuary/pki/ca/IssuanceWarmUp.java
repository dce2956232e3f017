package io.estuary.pki.ca;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.estuary.pki.policy.CertificateProfile;

/**
 * A fresh service's rehearsal of its work before it reports ready: rounds of {@link IssuanceRehearsal} (throwaway keys
 * and a throwaway CA in memory), each certificate made handed to the service's own {@link #rehearseEvents}, and the
 * round's records then carried by the service's {@link Transport}s, so the first minute of real requests does not run
 * interpreted code while the JIT compilers take the CPU. It stops after the rounds given or the time limit, whichever
 * comes first (a limit of 0 skips it). A failure never keeps the service from serving: one of the rounds' own work
 * ends the rehearsal early, one of a transport drops that transport.
 */
public abstract class IssuanceWarmUp {
    private static final System.Logger LOG = System.getLogger(IssuanceWarmUp.class.getName());
    /** Enough rounds for the hot methods to reach the optimising compiler (some ten thousand calls each). */
    public static final int ROUNDS = 1_500;

    /**
     * A way the service's records or requests travel for real (its Kafka clients, its own listener), rehearsed with
     * each round's records and nothing of the deployment's: what it opens on first use, {@link #close} ends.
     */
    public interface Transport extends AutoCloseable {
        /**
         * Carries one round's records, as the service's real ones travel; throws if it cannot. It waits no longer than
         * {@code remaining}, the rehearsal's time left: past that, not finishing is no failure.
         */
        void rehearse(List<byte[]> records, Duration remaining) throws Exception;

        @Override
        void close();
    }

    private final List<CertificateProfile> profiles;
    private final Duration limit;
    private final int rounds;
    private final List<Transport> transports;
    private volatile boolean done;

    protected IssuanceWarmUp(Collection<CertificateProfile> profiles, Duration limit, int rounds,
            List<? extends Transport> transports) {
        this.profiles = List.copyOf(profiles);
        this.limit = limit;
        this.rounds = rounds;
        this.transports = new ArrayList<>(transports);
    }

    /** The service's own work on one certificate of a round (its events' JSON): returns the record it would send. */
    protected abstract byte[] rehearseEvents(byte[] certificate, Instant now) throws java.io.IOException;

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
                    List<byte[]> records = new ArrayList<>();
                    for (byte[] der : rehearsal.round(now)) {
                        records.add(rehearseEvents(der, now));
                    }
                    carry(records, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            int completed = round;
            LOG.log(System.Logger.Level.INFO, () -> String.format("warmed up in %d ms (%d rounds%s)", millis,
                    completed, transports.isEmpty() ? "" : ", with " + transports));
        } catch (java.io.IOException | RuntimeException e) {
            int completed = round;
            LOG.log(System.Logger.Level.WARNING, () -> String.format(
                    "the warm-up stopped after %d rounds: %s; ready without it", completed, e));
        } finally {
            transports.forEach(Transport::close);
            done = true;
        }
    }

    private void carry(List<byte[]> records, Duration remaining) {
        for (var each = transports.iterator(); each.hasNext();) {
            Transport transport = each.next();
            try {
                transport.rehearse(records, remaining);
            } catch (Exception e) {
                // The service serves all the same; only its first requests through that transport run colder.
                LOG.log(System.Logger.Level.WARNING, () -> String.format(
                        "the warm-up goes on without %s: %s", transport, e));
                each.remove();
                transport.close();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
