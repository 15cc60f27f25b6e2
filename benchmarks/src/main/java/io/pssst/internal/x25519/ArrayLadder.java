package io.pssst.internal.x25519;

/**
 * The built-in ladder as it was before {@link LadderSteps} (commit db1b6c9): field elements
 * in the per-thread scratch arrays, every operation a call to {@link Field} (whose
 * multiplication C2 does not inline), and the inversion's squarings one {@link Field#square}
 * call each. Kept here only so that {@code X25519Benchmark} can compare old and new in the
 * same run (docs/x25519.md, "Measured costs"). It lives in the library's package (split across
 * the two jars on the class path) to reach the package-private {@link Field}.
 */
public final class ArrayLadder {
    /** Its 14 field elements and the inversion's 4, per thread (the library's scratch now has fewer). */
    private static final ThreadLocal<long[][]> ELEMENTS = ThreadLocal.withInitial(() -> new long[18][Field.LIMBS]);

    private ArrayLadder() {
    }

    /** X25519(k, u), as {@code X25519Builtin.x25519(out, k, u)} computed it before. */
    public static void x25519(byte[] out, byte[] k, byte[] u) {
        Scratch s = Scratch.get();
        long[][] f = ELEMENTS.get();
        try {
            byte[] e = s.clamped(k, 0);
            long[] x1 = f[0], x2 = f[1], z2 = f[2], x3 = f[3], z3 = f[4];
            long[] a = f[5], aa = f[6], b = f[7], bb = f[8], ee = f[9];
            long[] c = f[10], d = f[11], da = f[12], cb = f[13];
            Field.decode(x1, u, 0);
            Field.one(x2);
            Field.zero(z2);
            Field.copy(x3, x1);
            Field.one(z3);
            long swap = 0;
            for (int t = 254; t >= 0; t--) {
                long bit = (e[t >>> 3] >>> (t & 7)) & 1;
                swap ^= bit;
                Field.cswap(x2, x3, swap);
                Field.cswap(z2, z3, swap);
                swap = bit;
                Field.add(a, x2, z2);
                Field.square(aa, a);
                Field.sub(b, x2, z2);
                Field.square(bb, b);
                Field.sub(ee, aa, bb);
                Field.add(c, x3, z3);
                Field.sub(d, x3, z3);
                Field.mul(da, d, a);
                Field.mul(cb, c, b);
                Field.add(x3, da, cb);
                Field.square(x3, x3);
                Field.sub(z3, da, cb);
                Field.square(z3, z3);
                Field.mul(z3, z3, x1);
                Field.mul(x2, aa, bb);
                Field.mul121665(z2, ee);
                Field.add(z2, z2, aa);
                Field.mul(z2, z2, ee);
            }
            Field.cswap(x2, x3, swap);
            Field.cswap(z2, z3, swap);
            invert(z2, z2, f);
            Field.mul(x2, x2, z2);
            Field.encode(out, 0, x2);
        } finally {
            s.wipe();
            for (long[] x : f) {
                Field.zero(x);
            }
        }
    }

    /** The former Field.invert: a^(p-2) by the same chain, each squaring a Field.square call; scratch f[14..17]. */
    private static void invert(long[] o, long[] z, long[][] f) {
        long[] t = f[14], z11 = f[15], u = f[16], w = f[17];
        Field.square(w, z);
        squares(t, w, 2);
        Field.mul(u, t, z);
        Field.mul(z11, u, w);
        Field.square(t, z11);
        Field.mul(u, t, u);
        squares(t, u, 5);
        Field.mul(u, t, u);
        squares(t, u, 10);
        Field.mul(t, t, u);
        squares(w, t, 20);
        Field.mul(t, w, t);
        squares(t, t, 10);
        Field.mul(w, t, u);
        squares(t, w, 50);
        Field.mul(u, t, w);
        squares(t, u, 100);
        Field.mul(t, t, u);
        squares(t, t, 50);
        Field.mul(t, t, w);
        squares(t, t, 5);
        Field.mul(o, t, z11);
    }

    private static void squares(long[] o, long[] a, int n) {
        Field.square(o, a);
        for (int i = 1; i < n; i++) {
            Field.square(o, o);
        }
    }
}
