package io.estuary.responder.domain;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import javax.security.auth.x500.X500Principal;

/**
 * Every serial number each CA issued, so that a serial it never issued is answered "unknown". Compact: Estuary's
 * serials are 128 random bits, held as two longs in an open-addressing table (16 bytes each, at most half full: about
 * 32 MB for a million certificates, where a set of BigIntegers would take over 100 MB); any other serial in a plain
 * set. Written by one reader thread, read by many.
 */
public final class IssuedSerials {
    private final Map<String, Table> byIssuer = new ConcurrentHashMap<>();

    /** Records a serial number of an issuer (an RFC 2253 name, compared as a name); a repeat changes nothing. */
    public void add(String issuer, BigInteger serialNumber) {
        byIssuer.computeIfAbsent(canonical(issuer), i -> new Table()).add(serialNumber);
    }

    public boolean contains(X500Principal issuer, BigInteger serialNumber) {
        Table table = byIssuer.get(issuer.getName(X500Principal.CANONICAL));
        return table != null && table.contains(serialNumber);
    }

    public long size() {
        return byIssuer.values().stream().mapToLong(Table::size).sum();
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
