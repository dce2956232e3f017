package io.estuary.responder.domain;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import javax.security.auth.x500.X500Principal;

/**
 * Every serial number each CA issued whose certificate has not ended long ago, so that a serial it never issued is
 * answered "unknown". Compact: Estuary's serials are 128 random bits, held as two longs in an open-addressing table
 * (16 bytes each, at most half full: 32 to 64 MB for a million certificates, where a set of BigIntegers would take
 * over 100 MB); any other serial in a plain set. Each issuer's serials are kept in one table per week their certificates
 * end, so that what ended is forgotten a table at a time: the responder holds the certificates that are valid (and
 * recently ended), not every certificate the CA ever issued. Written by one reader thread, read by many.
 */
public final class IssuedSerials {
    /** The week of certificates whose end is not known: never forgotten. */
    private static final long NO_END = Long.MAX_VALUE;
    private static final long SECONDS_PER_WEEK = 7 * 86_400;

    private final Map<String, NavigableMap<Long, Table>> byIssuer = new ConcurrentHashMap<>();
    private final Duration endedKept;

    /** @param endedKept how long after its certificate ended a serial is still known */
    public IssuedSerials(Duration endedKept) {
        this.endedKept = endedKept;
    }

    /**
     * Records a serial number of an issuer (an RFC 2253 name, compared as a name) and when its certificate ends (null:
     * not known, kept for ever), unless it ended more than the kept time before {@code now}; a repeat changes nothing.
     *
     * @return whether it is known now
     */
    public boolean add(String issuer, BigInteger serialNumber, Instant notAfter, Instant now) {
        if (notAfter != null && notAfter.plus(endedKept).isBefore(now)) {
            return false;
        }
        long week = notAfter == null ? NO_END : Math.floorDiv(notAfter.getEpochSecond(), SECONDS_PER_WEEK);
        byIssuer.computeIfAbsent(canonical(issuer), i -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(week, w -> new Table()).add(serialNumber);
        return true;
    }

    public boolean contains(X500Principal issuer, BigInteger serialNumber) {
        NavigableMap<Long, Table> tables = byIssuer.get(issuer.getName(X500Principal.CANONICAL));
        if (tables == null) {
            return false;
        }
        for (Table table : tables.values()) {
            if (table.contains(serialNumber)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Forgets the serials of certificates that ended more than the kept time before {@code now}, a week at a time (a
     * serial is kept until the end of the week its certificate ended, plus the kept time, at least; weeks counted
     * from the epoch, a Thursday).
     *
     * @return how many were forgotten
     */
    public long forgetEnded(Instant now) {
        long firstKeptWeek = Math.floorDiv(now.minus(endedKept).getEpochSecond(), SECONDS_PER_WEEK);
        long forgotten = 0;
        for (NavigableMap<Long, Table> tables : byIssuer.values()) {
            NavigableMap<Long, Table> ended = tables.headMap(firstKeptWeek, false);
            for (Table table : ended.values()) {
                forgotten += table.size();
            }
            ended.clear();
        }
        return forgotten;
    }

    public long size() {
        return byIssuer.values().stream().flatMap(tables -> tables.values().stream()).mapToLong(Table::size).sum();
    }

    static String canonical(String rfc2253) {
        return new X500Principal(rfc2253).getName(X500Principal.CANONICAL);
    }

    /** One issuer's serials. */
    static final class Table {
        private final ReadWriteLock lock = new ReentrantReadWriteLock();
        /** Pairs (high, low) of 128-bit serials; (0, 0) marks a free slot (serial 0 is never issued). */
        private long[] slots = new long[2 * 1024];
        private int count;
        private final Set<BigInteger> others = new HashSet<>();

        void add(BigInteger serial) {
            lock.writeLock().lock();
            try {
                if (!fits(serial)) {
                    others.add(serial);
                    return;
                }
                if ((count + 1) * 2 > slots.length / 2) {
                    grow();
                }
                if (insert(slots, serial.shiftRight(64).longValue(), serial.longValue())) {
                    count++;
                }
            } finally {
                lock.writeLock().unlock();
            }
        }

        boolean contains(BigInteger serial) {
            lock.readLock().lock();
            try {
                if (!fits(serial)) {
                    return others.contains(serial);
                }
                long high = serial.shiftRight(64).longValue();
                long low = serial.longValue();
                int mask = slots.length / 2 - 1;
                for (int i = index(high, low, mask);; i = (i + 1) & mask) {
                    long h = slots[2 * i];
                    long l = slots[2 * i + 1];
                    if (h == high && l == low) {
                        return true;
                    }
                    if (h == 0 && l == 0) {
                        return false;
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
        }

        long size() {
            lock.readLock().lock();
            try {
                return count + others.size();
            } finally {
                lock.readLock().unlock();
            }
        }

        private static boolean fits(BigInteger serial) {
            return serial.signum() > 0 && serial.bitLength() <= 128;
        }

        private void grow() {
            long[] larger = new long[slots.length * 2];
            for (int i = 0; i < slots.length; i += 2) {
                if (slots[i] != 0 || slots[i + 1] != 0) {
                    insert(larger, slots[i], slots[i + 1]);
                }
            }
            slots = larger;
        }

        /** @return whether it was new */
        private static boolean insert(long[] table, long high, long low) {
            int mask = table.length / 2 - 1;
            for (int i = index(high, low, mask);; i = (i + 1) & mask) {
                long h = table[2 * i];
                long l = table[2 * i + 1];
                if (h == high && l == low) {
                    return false;
                }
                if (h == 0 && l == 0) {
                    table[2 * i] = high;
                    table[2 * i + 1] = low;
                    return true;
                }
            }
        }

        private static int index(long high, long low, int mask) {
            long mixed = (high * 0x9E3779B97F4A7C15L) ^ low;
            mixed ^= mixed >>> 32;
            mixed *= 0xBF58476D1CE4E5B9L;
            return (int) (mixed ^ (mixed >>> 29)) & mask;
        }
    }
}
