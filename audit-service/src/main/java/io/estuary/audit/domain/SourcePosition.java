package io.estuary.audit.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * Where an event was read: its Kafka record's timestamp, topic, partition and offset. The natural order of positions
 * is the chain order: by timestamp, then topic, partition and offset, so the order is a function of the topics alone
 * and a replay reproduces it.
 */
public record SourcePosition(Instant timestamp, String topic, int partition, long offset)
        implements Comparable<SourcePosition> {
    private static final Comparator<SourcePosition> CHAIN_ORDER = Comparator.comparing(SourcePosition::timestamp)
            .thenComparing(SourcePosition::topic).thenComparingInt(SourcePosition::partition)
            .thenComparingLong(SourcePosition::offset);

    public SourcePosition {
        if (timestamp == null || topic == null) {
            throw new IllegalArgumentException("a source position needs a timestamp and a topic");
        }
    }

    @Override
    public int compareTo(SourcePosition other) {
        return CHAIN_ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}
