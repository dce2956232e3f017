package io.estuary.audit.service;

import io.estuary.audit.domain.ChainVerification;
import io.estuary.audit.domain.ChainedEntry;
import io.estuary.audit.domain.Checkpoint;
import io.estuary.audit.domain.HashChain;

/**
 * Recomputes the chain record by record, in sequence order, and stops at the first broken link. Fed page by page so
 * that a large store is never held in memory. It starts at the genesis or at a checkpoint: a record already verified,
 * given by its sequence number and hash, after which it checks only the records that follow.
 */
public final class ChainVerifier {
    private final long fromSequence;
    private long headSequence;
    private String headHash;
    private long checked;
    private Long brokenAt;
    private String problem;

    public ChainVerifier() {
        this(Checkpoint.GENESIS);
    }

    public ChainVerifier(Checkpoint from) {
        this.fromSequence = from.sequence();
        this.headSequence = from.sequence();
        this.headHash = from.hash();
    }

    /** Checks the next record; returns false once the chain is broken (later records need not be fed). */
    public boolean accept(ChainedEntry record) {
        if (brokenAt != null) {
            return false;
        }
        checked++;
        if (record.sequence() != headSequence + 1) {
            return broken(record.sequence(), "expected sequence " + (headSequence + 1)
                    + " here: a record is missing or added");
        }
        if (!headHash.equals(record.previousHash())) {
            return broken(record.sequence(), "its previous hash is not the hash of record " + headSequence);
        }
        if (!HashChain.hashOf(record.sequence(), record.entry(), record.previousHash()).equals(record.hash())) {
            return broken(record.sequence(), "its content does not match its hash");
        }
        headSequence = record.sequence();
        headHash = record.hash();
        return true;
    }

    /** Records a break found outside the records fed, such as a checkpoint the store no longer holds. */
    public void broken(long sequence, String why, boolean counted) {
        if (counted) {
            checked++;
        }
        broken(sequence, why);
    }

    private boolean broken(long sequence, String why) {
        brokenAt = sequence;
        problem = why;
        return false;
    }

    public long headSequence() {
        return headSequence;
    }

    public String headHash() {
        return headHash;
    }

    public long checked() {
        return checked;
    }

    public ChainVerification result() {
        return new ChainVerification(brokenAt == null, fromSequence, checked, headSequence, headHash, brokenAt,
                problem);
    }
}
