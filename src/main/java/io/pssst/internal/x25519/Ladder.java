package io.pssst.internal.x25519;

/**
 * X25519(k, u) by the Montgomery ladder exactly as RFC 7748 section 5 writes it: clamping,
 * 255 ladder steps from bit 254 down to bit 0, conditional swaps by mask, one inversion by a
 * fixed addition chain. Any u is accepted: points of the curve or of its twist, non-canonical
 * values (u &ge; p), bit 255 set (ignored), low-order points (the result is then all zero).
 *
 * <p>The steps themselves are {@link LadderSteps} (field elements in local variables, generated
 * code); the inversion is {@link Field#invert}, whose squarings are {@link Hybrid}'s.
 *
 * <p>Constant time: the loop runs 255 times whatever k is; the bit of k read in each step
 * only feeds the swap masks; no branch, no index depends on k or u.
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
            long[] x1 = f[0], x2 = f[1], z2 = f[2];
            Field.decode(x1, u, uOff);
            LadderSteps.run(e, x1, x2, z2);
            Field.invert(z2, z2, s.inv);
            Hybrid.mul(x2, x2, z2);
            Field.encode(out, outOff, x2);
        } finally {
            s.wipe();
        }
    }
}
