package io.estuary.audit.service;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.audit.domain.ChainVerification;
import io.estuary.audit.domain.Checkpoint;
import io.estuary.audit.domain.VerificationLock;

/**
 * Verification runs of the service: one at a time (here and, through {@link VerificationLock}, in any process on
 * the store), each on the service's one verification thread, which is neither the consumer's nor an event loop. A run
 * that fails, even out of memory, ends as failed and takes nothing else with it. The last {@value #KEPT} runs stay
 * readable by id.
 */
@ApplicationScoped
public class ChainVerificationRuns {
    private static final Logger LOG = Logger.getLogger(ChainVerificationRuns.class);
    private static final int KEPT = 20;

    @Inject
    ChainVerificationService verification;
    @Inject
    VerificationLock lock;

    private final Clock clock = Clock.systemUTC();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "audit-chain-verification");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Run> runs = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
            return size() > KEPT;
        }
    };
    private Run running;

    public enum State {
        RUNNING, FINISHED, FAILED
    }

    /**
     * A run as its caller sees it.
     *
     * @param throughSequence  the head when the run started: it verifies up to there (null until it has read it)
     * @param checked          records checked so far
     * @param verifiedSequence the last record found intact so far, with {@code verifiedHash}: a checkpoint
     * @param result           when finished, what {@code GET /audit/verify} answers
     * @param failure          when failed, why
     */
    public record Status(String id, State state, Instant startedAt, Instant finishedAt, long fromSequence,
            Long throughSequence, long checked, long verifiedSequence, String verifiedHash, ChainVerification result,
            String failure) {
    }

    /** One run; its progress is written by the verification thread and read by any. */
    public final class Run implements ChainVerificationService.Progress {
        private final String id = UUID.randomUUID().toString();
        private final Checkpoint from;
        private final Instant startedAt = clock.instant();
        private final CompletableFuture<ChainVerification> done = new CompletableFuture<>();
        private volatile Long through;
        private volatile Progressed progressed;
        private volatile Instant finishedAt;
        private volatile String failure;

        private record Progressed(long checked, long sequence, String hash) {
        }

        Run(Checkpoint from) {
            this.from = from;
            this.progressed = new Progressed(0, from.sequence(), from.hash());
        }

        public String id() {
            return id;
        }

        /** Completes with the result, or exceptionally with what made the run fail. */
        public CompletableFuture<ChainVerification> done() {
            return done;
        }

        @Override
        public void started(long throughSequence) {
            through = throughSequence;
        }

        @Override
        public void verified(long checked, long headSequence, String headHash) {
            progressed = new Progressed(checked, headSequence, headHash);
        }

        public Status status() {
            Progressed now = progressed;
            ChainVerification result = done.isDone() && !done.isCompletedExceptionally() ? done.join() : null;
            State state = !done.isDone() ? State.RUNNING : result != null ? State.FINISHED : State.FAILED;
            if (result != null) {
                now = new Progressed(result.checked(), result.headSequence(), result.headHash());
            }
            return new Status(id, state, startedAt, finishedAt, from.sequence(), through, now.checked(),
                    now.sequence(), now.hash(), result, failure);
        }

        private void run(VerificationLock.Held held) {
            try (held) {
                ChainVerification result = verification.verify(from, this);
                finish();
                done.complete(result);
            } catch (Throwable e) {
                // Out of memory included: what the run held is garbage once it ends, and nothing else ran here.
                LOG.errorf(e, "chain verification %s failed", id);
                failure = e.toString();
                finish();
                done.completeExceptionally(e);
            }
        }

        private void finish() {
            finishedAt = clock.instant();
            synchronized (ChainVerificationRuns.this) {
                if (running == this) {
                    running = null;
                }
            }
        }
    }

    /**
     * Starts a run, or refuses it while another runs. Blocks for a database round trip (the lock): call from a
     * worker thread.
     */
    public synchronized Run start(Checkpoint from) {
        if (running != null) {
            Status status = running.status();
            throw new RunRefusedException("a chain verification is already running (" + status.id() + ", started "
                    + status.startedAt() + ", " + status.checked() + " records checked" + (status.throughSequence()
                            == null ? "" : " of " + (status.throughSequence() - status.fromSequence()))
                    + "); follow it at /audit/verifications/" + status.id() + " and start another when it ends");
        }
        VerificationLock.Held held = lock.tryAcquire();
        if (held == null) {
            throw new RunRefusedException("a chain verification is already running in another process on this store"
                    + " (another instance of the service, or the audit verify command); start one when it ends");
        }
        Run run = new Run(from);
        running = run;
        runs.put(run.id(), run);
        try {
            thread.execute(() -> run.run(held));
        } catch (RuntimeException e) {
            running = null;
            held.close();
            throw e;
        }
        return run;
    }

    public synchronized Optional<Run> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
