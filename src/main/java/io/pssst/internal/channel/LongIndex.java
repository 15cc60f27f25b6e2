package io.pssst.internal.channel;

/**
 * An allocation-free multimap from 64-bit keys to small ints (slot numbers): open addressing
 * with linear probing and backward-shift deletion. Keys are the first 8 bytes of request ids
 * (uniformly random), so equal keys are rare but allowed: callers check each candidate.
 * Not thread-safe.
 */
final class LongIndex {
    private final long[] keys;
    private final int[] values; // value + 1; 0 = empty
    private final int mask;
    private final int shift;

    /** An index for up to {@code capacity} entries (its table is kept at most half full). */
    LongIndex(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        keys = new long[size];
        values = new int[size];
        mask = size - 1;
        shift = 64 - Integer.numberOfTrailingZeros(size);
    }

    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    void put(long key, int value) {
        int i = home(key);
        while (values[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value + 1;
    }

    /** The first cell holding {@code key}, or -1. */
    int first(long key) {
        return scan(key, home(key));
    }

    /** The next cell after {@code cell} holding {@code key}, or -1. */
    int next(long key, int cell) {
        return scan(key, (cell + 1) & mask);
    }

    private int scan(long key, int from) {
        for (int i = from; values[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** The value stored in {@code cell}. */
    int valueAt(int cell) {
        return values[cell] - 1;
    }

    /** Removes the entry ({@code key}, {@code value}); returns whether it was there. */
    boolean remove(long key, int value) {
        for (int c = first(key); c >= 0; c = next(key, c)) {
            if (values[c] == value + 1) {
                delete(c);
                return true;
            }
        }
        return false;
    }

    private void delete(int hole) {
        values[hole] = 0;
        for (int j = (hole + 1) & mask; values[j] != 0; j = (j + 1) & mask) {
            int h = home(keys[j]);
            boolean stays = hole < j ? (h > hole && h <= j) : (h > hole || h <= j);
            if (!stays) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                values[j] = 0;
                hole = j;
            }
        }
    }
}
