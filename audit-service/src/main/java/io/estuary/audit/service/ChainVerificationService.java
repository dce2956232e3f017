package io.estuary.audit.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.estuary.audit.domain.AuditQuery;
import io.estuary.audit.domain.AuditRecord;
import io.estuary.audit.domain.AuditRecords;
import io.estuary.audit.domain.Blocking;
import io.estuary.audit.domain.ChainVerification;
import io.estuary.audit.domain.Checkpoint;
import io.quarkus.hibernate.reactive.panache.Panache;

/**
 * Recomputes the chain from the database, from the genesis or a checkpoint up to the head as it was when the run
 * started, and reports the first broken link. It reads a page of records at a time by sequence number (a session per
 * page, nothing kept between pages), so its memory does not depend on the length of the chain, and records the
 * consumer appends meanwhile are left to the next run (which can start from this run's head).
 */
@ApplicationScoped
public class ChainVerificationService {
    public static final int PAGE_SIZE = 1000;
    private static final AuditQuery EVERYTHING = new AuditQuery(null, null, null, null, null, null, null);

    @Inject
    AuditRecords records;

    /** What a run tells as it goes: the head it verifies up to, then after each page how far it is. */
    public interface Progress {
        Progress NONE = new Progress() {
        };

        default void started(long throughSequence) {
        }

        default void verified(long checked, long headSequence, String headHash) {
        }
    }

    /** Blocks: call from a thread that may (a run's own thread, a command's main thread), never an event loop. */
    public ChainVerification verify(Checkpoint from, Progress progress) {
        long through = Blocking.await(() -> Panache.withSession(records::headSequence));
        progress.started(through);
        ChainVerifier verifier = new ChainVerifier(from);
        if (from.sequence() > 0) {
            String stored = Blocking.await(() -> Panache.withSession(() -> records.hashAt(from.sequence())));
            if (stored == null) {
                verifier.broken(from.sequence(), "the checkpoint's record is not in the store, whose head is "
                        + through + ": records were removed, or the checkpoint is from another store", true);
                return verifier.result();
            }
            if (!stored.equals(from.hash())) {
                verifier.broken(from.sequence(), "its stored hash is not the checkpoint's hash", true);
                return verifier.result();
            }
        }
        long after = from.sequence();
        while (after < through) {
            long pageAfter = after;
            List<AuditRecord> page = Blocking.await(() -> Panache.withSession(
                    () -> records.page(EVERYTHING, pageAfter, through, PAGE_SIZE)));
            if (page.isEmpty()) {
                verifier.broken(after + 1, "expected sequence " + (after + 1) + " here, up to the head " + through
                        + " the run started with: records were removed while it ran", true);
                return verifier.result();
            }
            for (AuditRecord record : page) {
                if (!verifier.accept(record.toChainedEntry())) {
                    return verifier.result();
                }
            }
            after = page.get(page.size() - 1).sequence;
            progress.verified(verifier.checked(), verifier.headSequence(), verifier.headHash());
        }
        return verifier.result();
    }
}
