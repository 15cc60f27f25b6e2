package io.pssst.internal.channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;

/**
 * A token bucket per source, checked for every datagram a server receives before any
 * cryptography, so that one source cannot take the server's CPU from everyone else: each
 * source may send {@code rate} datagrams a second, with a burst of about one second's worth.
 *
 * <p><b>Sources.</b> A source is the datagram's address with its port ignored, masked to a
 * prefix: {@code /32} and {@code /128} by default (one address), {@code /24} and {@code /64}
 * to treat a subnet as one source.
 *
 * <p><b>Bounded memory.</b> Buckets live in a fixed table of {@code capacity} entries (4-way
 * set-associative, 32 bytes an entry: 16,384 entries take 512 KB), never more. A source
 * not in the table gets a fresh, full bucket, in the entry of its set whose bucket is fullest
 * (forgetting a full bucket loses nothing): so a flood from many (spoofed) sources replaces
 * idle buckets rather than growing memory, and a source that is being limited, its bucket
 * empty, is the last of its set to be forgotten. Which set a source falls in
 * is a keyed hash with a random key per limiter, so nobody can aim sources at one set. A
 * flood spread over more sources than the table holds is not limited per source — per-source
 * limiting cannot do that; see docs/operations.md for what can.
 *
 * <p>Not thread-safe: the channel calls it from its receive path, which one thread at a time
 * runs. Allocation-free per datagram while the source does not change: the JDK's channel hands
 * out the same sender object for consecutive datagrams from one source, and the limiter
 * remembers that object's masked address; a new sender object (which the JDK has just
 * allocated) costs one copy of its 4 or 16 address bytes ({@link InetAddress#getAddress()}).
 */
public final class SourceRateLimiter {
    private static final int WAYS = 4;
    private static final long UNIT = 1_000_000_000L; // tokens are counted in nanotokens

    private final long rate;      // datagrams per second per source
    private final long burst;     // in nanotokens: one second's worth
    private final int prefix4;
    private final int prefix6;
    private final int setMask;
    private final long seed;
    private final long[] hi;      // the masked address: the high 64 bits (IPv6) or 0 (IPv4)
    private final long[] lo;      // the low 64 bits (IPv6) or the IPv4 address with a tag bit
    private final long[] tokens;  // nanotokens left
    private final long[] stamp;   // when the bucket was last refilled (nanoTime); 0: empty entry
    private long limited;
    // The last source's address object and its masked address: a flood from one source, or
    // one client's burst, is looked up without copying the address again.
    private InetAddress lastAddress;
    private long lastHi;
    private long lastLo;

    /**
     * @param rate datagrams a second each source may send (1 to 10,000,000)
     * @param capacity the most sources tracked at once (rounded up to a power of two, at least 4)
     * @param prefix4 the IPv4 prefix length that makes one source (1 to 32)
     * @param prefix6 the IPv6 prefix length that makes one source (1 to 128)
     */
    public SourceRateLimiter(long rate, int capacity, int prefix4, int prefix6) {
        if (rate < 1 || rate > 10_000_000) {
            throw new IllegalArgumentException("rate must be 1 to 10,000,000 datagrams a second per source: " + rate);
        }
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("capacity must be 1 to 16,777,216 sources: " + capacity);
        }
        if (prefix4 < 1 || prefix4 > 32 || prefix6 < 1 || prefix6 > 128) {
            throw new IllegalArgumentException("prefix lengths must be 1 to 32 (IPv4) and 1 to 128 (IPv6): /"
                    + prefix4 + ", /" + prefix6);
        }
        int entries = Math.max(WAYS, Integer.highestOneBit(capacity - 1) << 1);
        this.rate = rate;
        this.burst = rate * UNIT;
        this.prefix4 = prefix4;
        this.prefix6 = prefix6;
        this.setMask = entries / WAYS - 1;
        this.seed = new SecureRandom().nextLong() | 1;
        this.hi = new long[entries];
        this.lo = new long[entries];
        this.tokens = new long[entries];
        this.stamp = new long[entries];
    }

    /** Datagrams a second each source may send. */
    public long rate() {
        return rate;
    }

    /** How many sources the table holds at most. */
    public int capacity() {
        return hi.length;
    }

    /** Datagrams refused so far. */
    public long limited() {
        return limited;
    }

    /**
     * Takes one token from the bucket of {@code source}'s prefix.
     *
     * @param now the time, in nanoseconds (as {@link System#nanoTime()})
     * @return whether the datagram may be processed; false: drop it
     */
    public boolean tryAcquire(SocketAddress source, long now) {
        if (!(source instanceof InetSocketAddress) || ((InetSocketAddress) source).getAddress() == null) {
            return true; // not an IP source: nothing to limit by (the channel drops such datagrams anyway)
        }
        InetAddress ip = ((InetSocketAddress) source).getAddress();
        if (ip != lastAddress) {
            byte[] a = ip.getAddress();
            if (a.length == 4) {
                lastHi = 0;
                lastLo = (1L << 32) | (((a[0] & 0xffL) << 24 | (a[1] & 0xffL) << 16 | (a[2] & 0xffL) << 8
                        | (a[3] & 0xffL)) & mask32(prefix4));
            } else {
                lastHi = word(a, 0) & mask64(Math.min(prefix6, 64));
                lastLo = word(a, 8) & mask64(Math.max(0, prefix6 - 64));
            }
            lastAddress = ip;
        }
        long h = lastHi;
        long l = lastLo;
        int base = set(h, l) * WAYS;
        int slot = -1;
        for (int i = base; i < base + WAYS && slot < 0; i++) {
            if (stamp[i] != 0 && hi[i] == h && lo[i] == l) {
                slot = i;
            }
        }
        long t = now == 0 ? 1 : now; // 0 marks an empty entry
        if (slot < 0) {
            slot = victim(base, t);
            hi[slot] = h;
            lo[slot] = l;
            tokens[slot] = burst;
        } else {
            tokens[slot] = refilled(slot, t);
        }
        stamp[slot] = t;
        if (tokens[slot] < UNIT) {
            limited++;
            return false;
        }
        tokens[slot] -= UNIT;
        return true;
    }

    /**
     * The entry of the set at {@code base} to give a new source: an empty one, else the one
     * whose bucket would hold the most tokens now (oldest first among equals). Forgetting a
     * full bucket loses nothing — the source would get a full one again — so a source being
     * limited (its bucket empty) is the last to be forgotten, however many others come by.
     */
    private int victim(int base, long now) {
        int victim = -1;
        long most = -1;
        for (int i = base; i < base + WAYS; i++) {
            if (stamp[i] == 0) {
                return i;
            }
            long t = refilled(i, now);
            if (t > most || t == most && stamp[i] - stamp[victim] < 0) {
                victim = i;
                most = t;
            }
        }
        return victim;
    }

    /** The tokens of entry {@code i} at {@code now}: what it had, plus the rate since, up to the burst. */
    private long refilled(int i, long now) {
        long elapsed = Math.min(now - stamp[i], UNIT); // a second refills the whole bucket
        return elapsed <= 0 ? tokens[i] : Math.min(burst, tokens[i] + elapsed * rate);
    }

    private int set(long h, long l) {
        long x = (h * 0x9E3779B97F4A7C15L + l) * seed;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 32;
        return (int) x & setMask;
    }

    private static long word(byte[] a, int off) {
        long w = 0;
        for (int i = 0; i < 8; i++) {
            w = w << 8 | (a[off + i] & 0xffL);
        }
        return w;
    }

    private static long mask32(int bits) {
        return bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    }

    private static long mask64(int bits) {
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    @Override
    public String toString() {
        return "SourceRateLimiter[" + rate + "/s per /" + prefix4 + " or /" + prefix6 + " source, " + capacity()
                + " sources tracked, " + limited + " refused]";
    }
}
