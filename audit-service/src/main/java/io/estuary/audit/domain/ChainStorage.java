package io.estuary.audit.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.mutiny.Uni;

/** Where the chain is appended to; repository/ implements it. */
public interface ChainStorage {
    /** The last record of the chain: what the next one links to. */
    record ChainHead(long sequence, String hash, SourcePosition source) {
    }

    /**
     * Chains entries after a head (null for an empty store), given which of their event ids are recorded and the
     * answers recorded for their requests; pure, no I/O.
     */
    @FunctionalInterface
    interface Chaining {
        List<AuditRecord> after(ChainHead head, Set<String> alreadyRecorded, Map<String, List<RecordedAnswer>> answers);
    }

    /**
     * Under the chain's append lock, so every appender (in this process or another) links to the true head and the
     * chain never forks, reads the head, which of {@code eventIds} are recorded and the answers recorded for
     * {@code answeredRequests}, chains and inserts.
     *
     * @return how many records were inserted
     */
    Uni<Integer> append(List<String> eventIds, List<String> answeredRequests, Chaining chaining);
}
