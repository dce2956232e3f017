package io.estuary.audit.service;

/**
 * Recomputes the chain record by record, in sequence order, and stops at the first broken link. Fed page by page so
 * that a large store is never held in memory.
 */
public final class ChainVerifier {
    private long headSequence;
    private String headHash = HashChain.GENESIS_HASH;
    private long checked;
    private Long brokenAt;
    private String problem;

    /** Checks the next record; returns false once the chain is broken (later records need not be fed). */
    public boolean accept(ChainedEntry record) {
        if (brokenAt != null) {
            return false;
        }
        checked++;
        if (record.sequence() != headSequence + 1) {
            return broken(record, "expected sequence " + (headSequence + 1) + " here: a record is missing or added");
        }
        if (!headHash.equals(record.previousHash())) {
            return broken(record, "its previous hash is not the hash of record " + headSequence);
        }
        if (!HashChain.hashOf(record.sequence(), record.entry(), record.previousHash()).equals(record.hash())) {
            return broken(record, "its content does not match its hash");
        }
        headSequence = record.sequence();
        headHash = record.hash();
        return true;
    }

    private boolean broken(ChainedEntry record, String why) {
        brokenAt = record.sequence();
        problem = why;
        return false;
    }

    public ChainVerification result() {
        return new ChainVerification(brokenAt == null, checked, headSequence, headHash, brokenAt, problem);
    }
}
