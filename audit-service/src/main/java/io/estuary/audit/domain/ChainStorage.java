package io.estuary.audit.domain;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;

/** Where the chain is appended to; repository/ implements it. */
public interface ChainStorage {
    /** The last record of the chain: what the next one links to. */
    record ChainHead(long sequence, String hash, SourcePosition source) {
    }

    /**
     * Chains entries after a head (null for an empty store), given which of their event ids are recorded, each with
     * the serial number its record names (null for none); pure, no I/O.
     */
    @FunctionalInterface
    interface Chaining {
        List<AuditRecord> after(ChainHead head, Map<String, String> alreadyRecorded);
    }

    /**
     * Under the chain's append lock, so every appender (in this process or another) links to the true head and the
     * chain never forks, reads the head and which of {@code eventIds} are recorded (with their serial numbers), chains and inserts.
     *
     * @return how many records were inserted
     */
    Uni<Integer> append(List<String> eventIds, Chaining chaining);
}
