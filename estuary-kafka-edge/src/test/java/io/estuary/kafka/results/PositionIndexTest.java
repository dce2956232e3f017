package io.estuary.kafka.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PositionIndexTest {
    private static final long WINDOW = 15 * 60_000;
    private static final long T0 = 1_796_000_000_000L;

    @Test
    void findsWhatWasPutWithinTheWindowAndTheFirstPositionWins() {
        PositionIndex index = new PositionIndex(WINDOW);
        index.putIfAbsent(42, 3, 1_000_000_007L, T0);
        index.putIfAbsent(42, 1, 5, T0 + 10); // a second answer to the same request
        assertEquals(new PositionIndex.Position(3, 1_000_000_007L), index.find(42, T0 + 1));
        assertNull(index.find(43, T0 + 1));
        assertEquals(new PositionIndex.Position(3, 1_000_000_007L), index.find(42, T0 + WINDOW));
        assertNull(index.find(42, T0 + WINDOW + 1), "older than the window");
    }

    @Test
    void keyZeroIsAKeyLikeAnyOther() {
        PositionIndex index = new PositionIndex(WINDOW);
        assertNull(index.find(0, T0));
        index.putIfAbsent(0, 0, 0, T0);
        assertEquals(new PositionIndex.Position(0, 0), index.find(0, T0));
    }

    @Test
    void holdsAMillionPositionsAndDropsThemSliceBySlice() {
        PositionIndex index = new PositionIndex(WINDOW);
        SplittableRandom random = new SplittableRandom(7);
        long[] keys = new long[1_000_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextLong();
            // Spread over the window, as a thousand results a second would be; slightly out of time order.
            index.putIfAbsent(keys[i], i % 4, i, T0 + (long) (i * (double) WINDOW / keys.length) - (i % 3) * 1000);
        }
        assertEquals(keys.length, index.size());
        long end = T0 + WINDOW - 5_000; // the first entries are still within the window
        for (int i = 0; i < keys.length; i += 997) {
            assertEquals(new PositionIndex.Position(i % 4, i), index.find(keys[i], end), "entry " + i);
        }
        index.evictBefore(end + WINDOW / 2);
        long kept = index.size();
        assertEquals(true, kept < keys.length * 0.7 && kept > keys.length * 0.3, "about half is dropped: " + kept);
        assertNull(index.find(keys[0], end + WINDOW / 2));
        assertEquals(new PositionIndex.Position((keys.length - 1) % 4, keys.length - 1),
                index.find(keys[keys.length - 1], end + WINDOW / 2));
        index.evictBefore(end + 2 * WINDOW);
        assertEquals(0, index.size());
    }

    @Test
    void refusesPositionsItCannotPack() {
        PositionIndex index = new PositionIndex(WINDOW);
        assertThrows(IllegalArgumentException.class, () -> index.putIfAbsent(1, 70_000, 0, T0));
        assertThrows(IllegalArgumentException.class, () -> index.putIfAbsent(1, 0, -1, T0));
    }
}
