package io.estuary.kafka.results;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The raw records of the latest {@code capacity} results, by the 64-bit key of their request id, so a retry soon after
 * its request (the common case: a client that timed out, a retry storm after an outage) is answered from memory
 * instead of being read back from the topic. The oldest record leaves when a new one comes in beyond the capacity.
 * One byte array per record and a boxed key: few objects, none the collector must trace into.
 * <p>
 * One thread puts (the topic reader), any may look up.
 */
final class LatestRecords {
    private final Map<Long, byte[]> records;
    private final long[] order; // a ring of keys, oldest at next once full
    private int next;
    private boolean full;

    LatestRecords(int capacity) {
        this.order = new long[Math.max(0, capacity)];
        this.records = new ConcurrentHashMap<>(Math.max(16, capacity * 4 / 3));
    }

    void put(long key, byte[] record) {
        if (order.length == 0) {
            return;
        }
        if (full) {
            records.remove(order[next]);
        }
        records.put(key, record);
        order[next] = key;
        next = (next + 1) % order.length;
        full |= next == 0;
    }

    /** The record held for the key, or null. */
    byte[] get(long key) {
        return records.get(key);
    }

    int size() {
        return records.size();
    }
}
