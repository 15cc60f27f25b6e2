package io.pssst.cli;

/**
 * Latencies in microseconds, in log-linear buckets (exact below 128 µs, then 64 buckets per
 * power of two: within 1.6 %), so memory stays fixed however long a benchmark runs. One
 * instance per thread; {@link #add(LatencyHistogram)} merges them. Not thread-safe.
 */
final class LatencyHistogram {
    private static final int SUB = 64;
    private static final int EXACT = 2 * SUB;
    /** Enough buckets for any long. */
    private static final int BUCKETS = EXACT + SUB * 57;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    /** Records one latency. */
    void record(long micros) {
        long v = Math.max(0, micros);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    /** Adds the counts of {@code other} to this one. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The latency at or below which {@code p} percent of the samples fall (the bucket's upper bound, capped at max). */
    long percentile(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, upper(i));
            }
        }
        return max;
    }

    /** How many samples fall in {@code [from, to)} microseconds (by bucket; for charts). */
    long countBetween(long from, long to) {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] != 0 && lower(i) >= from && lower(i) < to) {
                n += counts[i];
            }
        }
        return n;
    }

    static int index(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - 6; // v >> shift is in [64, 128)
        return EXACT + (shift - 1) * SUB + (int) ((v >> shift) - SUB);
    }

    static long lower(int index) {
        if (index < EXACT) {
            return index;
        }
        int shift = (index - EXACT) / SUB + 1;
        long mantissa = (index - EXACT) % SUB + SUB;
        return mantissa << shift;
    }

    static long upper(int index) {
        return index < EXACT ? index : lower(index + 1) - 1;
    }
}
