package io.estuary.audit.service;

/**
 * The outcome of recomputing the chain.
 *
 * @param valid             true when every record checked links to its predecessor and matches its hash
 * @param checked           records checked (up to and including the first broken one)
 * @param headSequence      the last valid record's sequence number (0 for an empty chain)
 * @param headHash          the last valid record's hash ({@link HashChain#GENESIS_HASH} for an empty chain)
 * @param brokenAtSequence  the first record that does not verify, or null
 * @param problem           what is wrong with it, or null
 */
public record ChainVerification(boolean valid, long checked, long headSequence, String headHash,
        Long brokenAtSequence, String problem) {
}
