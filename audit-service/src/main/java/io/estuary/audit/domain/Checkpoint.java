package io.estuary.audit.domain;

import java.util.regex.Pattern;

/**
 * A record a verification has already found intact: its sequence number and its hash. A run from a checkpoint checks
 * that the store still holds that record with that hash, then verifies only the records after it.
 */
public record Checkpoint(long sequence, String hash) {
    public static final Checkpoint GENESIS = new Checkpoint(0, HashChain.GENESIS_HASH);
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /** From the request's {@code after} and {@code afterHash}: both or neither (the whole chain). */
    public static Checkpoint parse(String after, String afterHash) {
        boolean noSequence = after == null || after.isBlank();
        boolean noHash = afterHash == null || afterHash.isBlank();
        if (noSequence && noHash) {
            return GENESIS;
        }
        if (noSequence || noHash) {
            throw new InvalidQueryException("'after' and 'afterHash' go together: the sequence number of a verified"
                    + " record and its hash (a run's headSequence and headHash)");
        }
        long sequence = PageRequest.parseAfter(after);
        String hash = afterHash.trim();
        if (!HASH.matcher(hash).matches()) {
            throw new InvalidQueryException("'afterHash' must be 64 lower-case hexadecimal digits (a SHA-256)");
        }
        if (sequence == 0 && !hash.equals(HashChain.GENESIS_HASH)) {
            throw new InvalidQueryException("after=0 is the genesis, whose hash is 64 zeros");
        }
        return new Checkpoint(sequence, hash);
    }
}
