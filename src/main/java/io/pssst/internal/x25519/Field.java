package io.pssst.internal.x25519;

/**
 * Arithmetic modulo p = 2^255 - 19 on elements held as five 51-bit limbs in a {@code long[5]}:
 * the value is {@code f[0] + f[1]·2^51 + f[2]·2^102 + f[3]·2^153 + f[4]·2^204}, limbs never
 * negative. No method branches on, or indexes memory by, the value of an element.
 *
 * <p><b>Bounds</b> (the whole correctness argument of the carry-free operations):
 * <ul>
 *   <li><i>tight</i>: every limb &lt; 2^51 + 2^25. {@link #mul}, {@link #square},
 *       {@link #mul121665}, {@link #carry} and {@link #decode} produce tight elements.</li>
 *   <li>{@link #sub} computes {@code a + 2p - b} and needs a <i>tight</i> {@code b}; its
 *       result is below {@code a + 2^52} limb by limb. {@link #add} adds limbs, no carry.</li>
 *   <li>{@link #mul} and {@link #square} accept limbs &lt; 3·2^52: then every column sum is
 *       below 2^114, every carry below 2^63 (the widest, column 4's carry times 19, below
 *       2^62.8), and the 128-bit products fit {@code Math.multiplyHigh}'s signed range. (Carries
 *       are shifted unsigned, so the true limit is near 2^54.2; the documented bound keeps a
 *       margin, and FieldTest shows limbs of 2^55 fail.)</li>
 * </ul>
 * Callers (the ladder, the Edwards formulas) keep within these bounds; FieldTest checks the
 * extremes against {@link java.math.BigInteger}.
 *
 * <p><b>Products.</b> A column of the schoolbook product (at most five 102- to 110-bit
 * products) is held as its exact low 64 bits (wrapping {@code long} products) and the sum
 * of the products' high parts {@code floor(x·y / 2^61)}, taken as
 * {@code Math.multiplyHigh(x << 3, y)}. Their fractional parts add up to less than 5·2^61, so
 * bits 61..63 of the low word fix the high sum exactly ({@link #carryOf}): no 128-bit
 * addition, no carry flags, no branch. Every input of {@code multiplyHigh} here is
 * non-negative, which keeps its portable (pre-JIT) code on one path too.
 *
 * <p>All methods accept the output array being one of the inputs.
 */
final class Field {
    static final int LIMBS = 5;
    static final long MASK51 = (1L << 51) - 1;

    /** 2p limb by limb: 2·(2^51 - 19) and 2·(2^51 - 1). */
    private static final long TWO_P0 = (1L << 52) - 38;
    private static final long TWO_P = (1L << 52) - 2;

    private static final long A24 = 121665;
    /** a24·2^13: {@code multiplyHigh(x, A24_HIGH) = floor(x·a24 / 2^51)}. */
    private static final long A24_HIGH = A24 << 13;

    private Field() {
    }

    static long[] create() {
        return new long[LIMBS];
    }

    static void zero(long[] o) {
        o[0] = 0;
        o[1] = 0;
        o[2] = 0;
        o[3] = 0;
        o[4] = 0;
    }

    static void one(long[] o) {
        o[0] = 1;
        o[1] = 0;
        o[2] = 0;
        o[3] = 0;
        o[4] = 0;
    }

    static void copy(long[] o, long[] a) {
        o[0] = a[0];
        o[1] = a[1];
        o[2] = a[2];
        o[3] = a[3];
        o[4] = a[4];
    }

    /** o = a + b, limb by limb (no carry). */
    static void add(long[] o, long[] a, long[] b) {
        o[0] = a[0] + b[0];
        o[1] = a[1] + b[1];
        o[2] = a[2] + b[2];
        o[3] = a[3] + b[3];
        o[4] = a[4] + b[4];
    }

    /** o = a - b as a + 2p - b; {@code b} must be tight. */
    static void sub(long[] o, long[] a, long[] b) {
        o[0] = a[0] + TWO_P0 - b[0];
        o[1] = a[1] + TWO_P - b[1];
        o[2] = a[2] + TWO_P - b[2];
        o[3] = a[3] + TWO_P - b[3];
        o[4] = a[4] + TWO_P - b[4];
    }

    /** o = -a as 2p - a; {@code a} must be tight. */
    static void neg(long[] o, long[] a) {
        o[0] = TWO_P0 - a[0];
        o[1] = TWO_P - a[1];
        o[2] = TWO_P - a[2];
        o[3] = TWO_P - a[3];
        o[4] = TWO_P - a[4];
    }

    /**
     * floor(column / 2^51) for a column whose exact value is {@code 2^61·(hi + t) + (lo mod 2^61)}
     * with 0 &lt;= t &lt;= 4, given {@code lo} = the column mod 2^64 and {@code hi} = the sum of
     * the high parts. {@code hi + t} is the least value &ge; {@code hi} congruent to
     * {@code lo >>> 61} mod 8.
     */
    private static long carryOf(long lo, long hi) {
        return (((hi - (lo >>> 61) + 7) & -8L) << 10) + (lo >>> 51);
    }

    /** o = a·b, tight. Limbs of a and b below 3·2^52. */
    static void mul(long[] o, long[] a, long[] b) {
        long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
        long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4];
        long e0 = a0 << 3, e1 = a1 << 3, e2 = a2 << 3, e3 = a3 << 3, e4 = a4 << 3;
        long n1 = b1 * 19, n2 = b2 * 19, n3 = b3 * 19, n4 = b4 * 19;

        long lo0 = a0 * b0 + a1 * n4 + a2 * n3 + a3 * n2 + a4 * n1;
        long hi0 = Math.multiplyHigh(e0, b0) + Math.multiplyHigh(e1, n4) + Math.multiplyHigh(e2, n3)
                + Math.multiplyHigh(e3, n2) + Math.multiplyHigh(e4, n1);
        long lo1 = a0 * b1 + a1 * b0 + a2 * n4 + a3 * n3 + a4 * n2;
        long hi1 = Math.multiplyHigh(e0, b1) + Math.multiplyHigh(e1, b0) + Math.multiplyHigh(e2, n4)
                + Math.multiplyHigh(e3, n3) + Math.multiplyHigh(e4, n2);
        long lo2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * n4 + a4 * n3;
        long hi2 = Math.multiplyHigh(e0, b2) + Math.multiplyHigh(e1, b1) + Math.multiplyHigh(e2, b0)
                + Math.multiplyHigh(e3, n4) + Math.multiplyHigh(e4, n3);
        long lo3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * n4;
        long hi3 = Math.multiplyHigh(e0, b3) + Math.multiplyHigh(e1, b2) + Math.multiplyHigh(e2, b1)
                + Math.multiplyHigh(e3, b0) + Math.multiplyHigh(e4, n4);
        long lo4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
        long hi4 = Math.multiplyHigh(e0, b4) + Math.multiplyHigh(e1, b3) + Math.multiplyHigh(e2, b2)
                + Math.multiplyHigh(e3, b1) + Math.multiplyHigh(e4, b0);

        propagate(o, lo0, carryOf(lo0, hi0), lo1, carryOf(lo1, hi1), lo2, carryOf(lo2, hi2),
                lo3, carryOf(lo3, hi3), lo4, carryOf(lo4, hi4));
    }

    /** o = a², tight. Limbs of a below 3·2^52. */
    static void square(long[] o, long[] a) {
        long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
        long d0 = a0 << 1, d1 = a1 << 1, d2 = a2 << 1, d3 = a3 << 1;
        long n3 = a3 * 19, n4 = a4 * 19;
        // The first factor of each product, times 8, for its high part.
        long s0 = a0 << 3, s1 = a1 << 3, s2 = a2 << 3, s3 = a3 << 3, s4 = a4 << 3;
        long t0 = a0 << 4, t1 = a1 << 4, t2 = a2 << 4, t3 = a3 << 4;

        long lo0 = a0 * a0 + d1 * n4 + d2 * n3;
        long hi0 = Math.multiplyHigh(s0, a0) + Math.multiplyHigh(t1, n4) + Math.multiplyHigh(t2, n3);
        long lo1 = d0 * a1 + d2 * n4 + a3 * n3;
        long hi1 = Math.multiplyHigh(t0, a1) + Math.multiplyHigh(t2, n4) + Math.multiplyHigh(s3, n3);
        long lo2 = d0 * a2 + a1 * a1 + d3 * n4;
        long hi2 = Math.multiplyHigh(t0, a2) + Math.multiplyHigh(s1, a1) + Math.multiplyHigh(t3, n4);
        long lo3 = d0 * a3 + d1 * a2 + a4 * n4;
        long hi3 = Math.multiplyHigh(t0, a3) + Math.multiplyHigh(t1, a2) + Math.multiplyHigh(s4, n4);
        long lo4 = d0 * a4 + d1 * a3 + a2 * a2;
        long hi4 = Math.multiplyHigh(t0, a4) + Math.multiplyHigh(t1, a3) + Math.multiplyHigh(s2, a2);

        propagate(o, lo0, carryOf(lo0, hi0), lo1, carryOf(lo1, hi1), lo2, carryOf(lo2, hi2),
                lo3, carryOf(lo3, hi3), lo4, carryOf(lo4, hi4));
    }

    /**
     * Writes the tight form of the sum over k of (lo_k mod 2^51 + c_k·2^51)·2^(51k), folding
     * 2^255 = 19: each column's carry goes into the next, column 4's times 19 into column 0.
     */
    private static void propagate(long[] o, long lo0, long c0, long lo1, long c1, long lo2, long c2,
            long lo3, long c3, long lo4, long c4) {
        long x1 = (lo1 & MASK51) + c0;
        c1 += x1 >>> 51;
        long x2 = (lo2 & MASK51) + c1;
        c2 += x2 >>> 51;
        long x3 = (lo3 & MASK51) + c2;
        c3 += x3 >>> 51;
        long x4 = (lo4 & MASK51) + c3;
        c4 += x4 >>> 51;
        long x0 = (lo0 & MASK51) + c4 * 19;
        o[0] = x0 & MASK51;
        o[1] = (x1 & MASK51) + (x0 >>> 51);
        o[2] = x2 & MASK51;
        o[3] = x3 & MASK51;
        o[4] = x4 & MASK51;
    }

    /**
     * o = a^(2^n) (n &ge; 1 squarings), tight. Limbs of a below 2^53 (a tight a will do): the
     * squarings are {@link Hybrid#squareTimes}, the element in local variables between them.
     * (In {@link #invert} and {@link #pow22523} a is always a product's output.)
     */
    static void squareTimes(long[] o, long[] a, int n) {
        Hybrid.squareTimes(o, a, n);
    }

    /** o = 121665·a, tight. Limbs of a below 3·2^52. */
    static void mul121665(long[] o, long[] a) {
        long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
        long h4 = Math.multiplyHigh(a4, A24_HIGH);
        o[4] = ((a4 * A24) & MASK51) + Math.multiplyHigh(a3, A24_HIGH);
        o[3] = ((a3 * A24) & MASK51) + Math.multiplyHigh(a2, A24_HIGH);
        o[2] = ((a2 * A24) & MASK51) + Math.multiplyHigh(a1, A24_HIGH);
        o[1] = ((a1 * A24) & MASK51) + Math.multiplyHigh(a0, A24_HIGH);
        o[0] = ((a0 * A24) & MASK51) + h4 * 19;
    }

    /** o = a with its limbs carried: tight (limbs below 2^51 but limb 0, below 2^51 + 2^16). Any limbs below 2^62. */
    static void carry(long[] o, long[] a) {
        long l0 = a[0], l1 = a[1], l2 = a[2], l3 = a[3], l4 = a[4];
        l1 += l0 >>> 51;
        l0 &= MASK51;
        l2 += l1 >>> 51;
        l1 &= MASK51;
        l3 += l2 >>> 51;
        l2 &= MASK51;
        l4 += l3 >>> 51;
        l3 &= MASK51;
        l0 += (l4 >>> 51) * 19;
        l4 &= MASK51;
        o[0] = l0;
        o[1] = l1;
        o[2] = l2;
        o[3] = l3;
        o[4] = l4;
    }

    /** o = a fully reduced: the unique representative in [0, p), limbs below 2^51. Any limbs below 2^62. */
    static void reduce(long[] o, long[] a) {
        carry(o, a);
        long l0 = o[0], l1 = o[1], l2 = o[2], l3 = o[3], l4 = o[4];
        // Now a < 2^255 + 2^16 < 2p, so q = [a >= p] = floor((a + 19) / 2^255), carried exactly.
        long q = (l0 + 19) >>> 51;
        q = (l1 + q) >>> 51;
        q = (l2 + q) >>> 51;
        q = (l3 + q) >>> 51;
        q = (l4 + q) >>> 51;
        // a - q·p = a + 19q - q·2^255: add 19q, carry, drop bit 255.
        l0 += 19 * q;
        l1 += l0 >>> 51;
        l0 &= MASK51;
        l2 += l1 >>> 51;
        l1 &= MASK51;
        l3 += l2 >>> 51;
        l2 &= MASK51;
        l4 += l3 >>> 51;
        l3 &= MASK51;
        l4 &= MASK51;
        o[0] = l0;
        o[1] = l1;
        o[2] = l2;
        o[3] = l3;
        o[4] = l4;
    }

    /**
     * Reads 32 little-endian bytes at {@code off}, ignoring bit 255 (RFC 7748 section 5). Values
     * from p to 2^255 - 1 are accepted as they are (non-canonical; arithmetic reduces them).
     */
    static void decode(long[] o, byte[] in, int off) {
        long w0 = load64(in, off), w1 = load64(in, off + 8), w2 = load64(in, off + 16), w3 = load64(in, off + 24);
        o[0] = w0 & MASK51;
        o[1] = ((w0 >>> 51) | (w1 << 13)) & MASK51;
        o[2] = ((w1 >>> 38) | (w2 << 26)) & MASK51;
        o[3] = ((w2 >>> 25) | (w3 << 39)) & MASK51;
        o[4] = (w3 >>> 12) & MASK51;
    }

    /**
     * Writes the canonical 32-byte little-endian encoding of a at {@code off}. {@code a} is
     * left fully reduced (same value).
     */
    static void encode(byte[] out, int off, long[] a) {
        reduce(a, a);
        store64(out, off, a[0] | (a[1] << 51));
        store64(out, off + 8, (a[1] >>> 13) | (a[2] << 38));
        store64(out, off + 16, (a[2] >>> 26) | (a[3] << 25));
        store64(out, off + 24, (a[3] >>> 39) | (a[4] << 12));
    }

    private static long load64(byte[] b, int off) {
        long w = 0;
        for (int i = 7; i >= 0; i--) {
            w = (w << 8) | (b[off + i] & 0xff);
        }
        return w;
    }

    private static void store64(byte[] b, int off, long w) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (w >>> (8 * i));
        }
    }

    /** -1 (all ones) if a ≡ 0 (mod p), else 0. {@code a} is left fully reduced (same value). */
    static long isZeroMask(long[] a) {
        reduce(a, a);
        long x = a[0] | a[1] | a[2] | a[3] | a[4];
        return ((x | -x) >>> 63) - 1;
    }

    /** -1 (all ones) if a ≡ b (mod p), else 0. {@code b} tight; {@code d} is scratch. */
    static long equalMask(long[] a, long[] b, long[] d) {
        sub(d, a, b);
        return isZeroMask(d);
    }

    /** Swaps a and b if {@code swap} is 1, leaves them if 0; no branch. */
    static void cswap(long[] a, long[] b, long swap) {
        long m = -swap;
        for (int i = 0; i < LIMBS; i++) {
            long t = m & (a[i] ^ b[i]);
            a[i] ^= t;
            b[i] ^= t;
        }
    }

    /** o = a where {@code mask} is -1, o unchanged where it is 0; no branch. */
    static void cmov(long[] o, long[] a, long mask) {
        for (int i = 0; i < LIMBS; i++) {
            o[i] ^= mask & (o[i] ^ a[i]);
        }
    }

    /**
     * o = a^(p-2) = a^-1 (0 for 0), by the fixed chain of 254 squarings and 11
     * multiplications. {@code s} holds four scratch elements, none of them o or a.
     */
    static void invert(long[] o, long[] a, long[][] s) {
        long[] t = s[0], z11 = s[1];
        chain250(a, s);
        // t = a^(2^250 - 1); a^(2^255 - 21) = t^(2^5) · a^11
        squareTimes(t, t, 5);
        mul(o, t, z11);
    }

    /** o = a^((p-5)/8) = a^(2^252 - 3), for square roots. Scratch as for {@link #invert}. */
    static void pow22523(long[] o, long[] a, long[][] s) {
        long[] t = s[0];
        chain250(a, s);
        squareTimes(t, t, 2);
        mul(o, t, a);
    }

    /**
     * The common head of both exponentiations: s[0] = a^(2^250 - 1) and s[1] = a^11; s[2] and
     * s[3] are scratch.
     */
    private static void chain250(long[] a, long[][] s) {
        long[] t = s[0], z11 = s[1], u = s[2], w = s[3];
        square(w, a); //                   2
        squareTimes(t, w, 2); //           8
        mul(u, t, a); //                   9
        mul(z11, u, w); //                 11
        square(t, z11); //                 22
        mul(u, t, u); //                   2^5 - 1
        squareTimes(t, u, 5); //           2^10 - 2^5
        mul(u, t, u); //                   2^10 - 1
        squareTimes(t, u, 10); //          2^20 - 2^10
        mul(t, t, u); //                   2^20 - 1
        squareTimes(w, t, 20); //          2^40 - 2^20
        mul(t, w, t); //                   2^40 - 1
        squareTimes(t, t, 10); //          2^50 - 2^10
        mul(w, t, u); //                   2^50 - 1
        squareTimes(t, w, 50); //          2^100 - 2^50
        mul(u, t, w); //                   2^100 - 1
        squareTimes(t, u, 100); //         2^200 - 2^100
        mul(t, t, u); //                   2^200 - 1
        squareTimes(t, t, 50); //          2^250 - 2^50
        mul(t, t, w); //                   2^250 - 1
    }
}
