package io.estuary.audit.domain;

/**
 * The outcome of recomputing the chain.
 *
 * @param valid             true when every record checked links to its predecessor and matches its hash
 * @param fromSequence      the checkpoint the run started after (0: the genesis, the whole chain)
 * @param checked           records checked (up to and including the first broken one)
 * @param headSequence      the last valid record's sequence number (the checkpoint's when none was checked); with
 *                          {@code headHash}, the checkpoint from which a later run verifies only what was added
 * @param headHash          the last valid record's hash ({@link HashChain#GENESIS_HASH} for an empty chain)
 * @param brokenAtSequence  the first record that does not verify, or null
 * @param problem           what is wrong with it, or null
 */
public record ChainVerification(boolean valid, long fromSequence, long checked, long headSequence, String headHash,
        Long brokenAtSequence, String problem) {
}
