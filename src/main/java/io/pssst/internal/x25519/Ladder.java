package io.pssst.internal.x25519;

/**
 * X25519(k, u) by the Montgomery ladder exactly as RFC 7748 section 5 writes it: clamping,
 * 255 ladder steps from bit 254 down to bit 0, conditional swaps by mask, one inversion by a
 * fixed addition chain. Any u is accepted: points of the curve or of its twist, non-canonical
 * values (u &ge; p), bit 255 set (ignored), low-order points (the result is then all zero).
 *
 * <p>Constant time: the loop runs 255 times whatever k is; the bit of k read in each step
 * only feeds the swap masks ({@link Field#cswap}); no branch, no index depends on k or u.
 */
final class Ladder {
    private Ladder() {
    }

    /**
     * Writes X25519(k, u) at {@code out[outOff..outOff+32)}, reading 32 bytes of k and u at
     * their offsets. The output may overlap either input (both are read first).
     */
    static void x25519(byte[] out, int outOff, byte[] k, int kOff, byte[] u, int uOff) {
        Scratch s = Scratch.get();
        try {
            byte[] e = s.clamped(k, kOff);
            long[][] f = s.fe;
            long[] x1 = f[0], x2 = f[1], z2 = f[2], x3 = f[3], z3 = f[4];
            long[] a = f[5], aa = f[6], b = f[7], bb = f[8], ee = f[9];
            long[] c = f[10], d = f[11], da = f[12], cb = f[13];
            Field.decode(x1, u, uOff);
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
            Field.invert(z2, z2, s.inv);
            Field.mul(x2, x2, z2);
            Field.encode(out, outOff, x2);
        } finally {
            s.wipe();
        }
    }
}
