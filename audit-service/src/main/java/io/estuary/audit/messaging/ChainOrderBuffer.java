package io.estuary.audit.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.SourcePosition;

/**
 * Events read but not yet chained, kept in chain order ({@link SourcePosition}'s order). An event is released once its
 * timestamp is at or before a horizon that every partition has been read up to, so the chain order does not depend on
 * how fast each partition happened to be read.
 */
public final class ChainOrderBuffer {
    private final TreeMap<SourcePosition, AuditEntry> pending = new TreeMap<>();
    /** Per "topic/partition": the offsets still pending, so that offsets are never committed past one of them. */
    private final Map<String, TreeSet<Long>> pendingOffsets = new HashMap<>();

    public void add(AuditEntry entry) {
        SourcePosition source = entry.source();
        if (pending.putIfAbsent(source, entry) == null) {
            pendingOffsets.computeIfAbsent(key(source.topic(), source.partition()), k -> new TreeSet<>())
                    .add(source.offset());
        }
    }

    /** Removes and returns, in chain order, every event whose timestamp is not after {@code horizon}. */
    public List<AuditEntry> releaseUpTo(Instant horizon) {
        List<AuditEntry> released = new ArrayList<>();
        while (!pending.isEmpty() && !pending.firstKey().timestamp().isAfter(horizon)) {
            released.add(remove(pending.firstKey()));
        }
        return released;
    }

    /** Removes and returns every event, in chain order. */
    public List<AuditEntry> releaseAll() {
        List<AuditEntry> released = new ArrayList<>(pending.size());
        while (!pending.isEmpty()) {
            released.add(remove(pending.firstKey()));
        }
        return released;
    }

    /** The smallest offset of a partition still pending: its committed offset must not go beyond it. */
    public OptionalLong firstPendingOffset(String topic, int partition) {
        TreeSet<Long> offsets = pendingOffsets.get(key(topic, partition));
        return offsets == null || offsets.isEmpty() ? OptionalLong.empty() : OptionalLong.of(offsets.first());
    }

    public int size() {
        return pending.size();
    }

    public void clear() {
        pending.clear();
        pendingOffsets.clear();
    }

    private AuditEntry remove(SourcePosition source) {
        pendingOffsets.get(key(source.topic(), source.partition())).remove(source.offset());
        return pending.remove(source);
    }

    private static String key(String topic, int partition) {
        return topic + "/" + partition;
    }
}
