package io.estuary.kafka.results;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Where each recent result lies in the topic, by a 64-bit hash of its request id, for one retry window: the first
 * position put for a key is kept. Entries live in primitive arrays, one open-addressing table per slice of the window,
 * so a million of them are a few tens of megabytes and no objects: a garbage collector never copies or scans them, as
 * it did a map of a million entry objects at every young collection. A whole slice is dropped once all of it is older
 * than the window.
 * <p>
 * Thread-safe; one thread puts (the topic reader) while any may look up. A hash shared by two request ids makes
 * {@link #find} return the wrong position, never a wrong answer: the caller compares the request id of what it reads
 * back.
 */
final class PositionIndex {
    /** Slices per window: an entry outlives the window by at most a slice before its memory is reclaimed. */
    private static final int SLICES = 8;
    private static final long EMPTY = 0;
    private static final int INITIAL_CAPACITY = 1 << 10;

    private final long windowMillis;
    private final long sliceMillis;
    private final ArrayDeque<Slice> slices = new ArrayDeque<>(); // oldest first

    /** A position: the partition and the offset of the record. */
    record Position(int partition, long offset) {
    }

    PositionIndex(long windowMillis) {
        this.windowMillis = windowMillis;
        this.sliceMillis = Math.max(1, windowMillis / SLICES);
    }

    /**
     * Records where a result seen at {@code seenAtMillis} lies, unless a position is held for the key; returns whether
     * it was recorded (the first result for the key).
     */
    synchronized boolean putIfAbsent(long key, int partition, long offset, long seenAtMillis) {
        long k = nonEmpty(key);
        for (Slice slice : slices) {
            if (slice.indexOf(k) >= 0) {
                return false;
            }
        }
        sliceFor(seenAtMillis).put(k, pack(partition, offset), seenAtMillis);
        return true;
    }

    /** The position held for the key and seen within the window before {@code nowMillis}, or null. */
    synchronized Position find(long key, long nowMillis) {
        long k = nonEmpty(key);
        long oldest = nowMillis - windowMillis;
        for (Slice slice : slices) {
            int at = slice.indexOf(k);
            if (at >= 0 && slice.seenAt[at] >= oldest) {
                long packed = slice.values[at];
                return new Position((int) (packed >>> 48), packed & 0xFFFF_FFFF_FFFFL);
            }
        }
        return null;
    }

    /** Drops the slices whose every entry is older than the window. */
    synchronized void evictBefore(long nowMillis) {
        long oldest = nowMillis - windowMillis;
        for (Iterator<Slice> it = slices.iterator(); it.hasNext();) {
            if ((it.next().number + 1) * sliceMillis <= oldest) {
                it.remove();
            }
        }
    }

    /** Positions held, expired or not yet dropped included. */
    synchronized long size() {
        return slices.stream().mapToLong(s -> s.size).sum();
    }

    private Slice sliceFor(long seenAtMillis) {
        long number = Math.floorDiv(seenAtMillis, sliceMillis);
        for (Iterator<Slice> it = slices.descendingIterator(); it.hasNext();) {
            Slice slice = it.next();
            if (slice.number == number) {
                return slice;
            }
        }
        // Results arrive nearly in time order: a new slice goes last, or before the first later one.
        Slice created = new Slice(number);
        ArrayDeque<Slice> ordered = new ArrayDeque<>(slices.size() + 1);
        boolean placed = false;
        for (Slice slice : slices) {
            if (!placed && slice.number > number) {
                ordered.add(created);
                placed = true;
            }
            ordered.add(slice);
        }
        if (!placed) {
            ordered.add(created);
        }
        slices.clear();
        slices.addAll(ordered);
        return created;
    }

    private static long pack(int partition, long offset) {
        if (partition < 0 || partition > 0xFFFF || offset < 0 || offset > 0xFFFF_FFFF_FFFFL) {
            throw new IllegalArgumentException("position out of range: " + partition + "@" + offset);
        }
        return ((long) partition << 48) | offset;
    }

    private static long nonEmpty(long key) {
        return key == EMPTY ? 1 : key;
    }

    /** One slice of the window: linear probing over parallel arrays, kept at most three quarters full. */
    private static final class Slice {
        final long number;
        long[] keys = new long[INITIAL_CAPACITY];
        long[] values = new long[INITIAL_CAPACITY];
        long[] seenAt = new long[INITIAL_CAPACITY];
        int size;

        Slice(long number) {
            this.number = number;
        }

        int indexOf(long key) {
            int mask = keys.length - 1;
            for (int i = spread(key) & mask;; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return i;
                }
                if (keys[i] == EMPTY) {
                    return -1;
                }
            }
        }

        void put(long key, long value, long seen) {
            if ((size + 1) * 4L > keys.length * 3L) {
                grow();
            }
            insert(key, value, seen);
        }

        private void insert(long key, long value, long seen) {
            int mask = keys.length - 1;
            int i = spread(key) & mask;
            while (keys[i] != EMPTY) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
            seenAt[i] = seen;
            size++;
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            long[] oldSeen = seenAt;
            keys = new long[oldKeys.length * 2];
            values = new long[oldKeys.length * 2];
            seenAt = new long[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    insert(oldKeys[i], oldValues[i], oldSeen[i]);
                }
            }
        }

        private static int spread(long key) {
            // The keys are hash bits already; fold the halves so every bit picks the slot.
            return (int) (key ^ (key >>> 32));
        }
    }
}
