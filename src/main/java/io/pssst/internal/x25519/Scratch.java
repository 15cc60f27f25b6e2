package io.pssst.internal.x25519;

import java.util.Arrays;

/**
 * The temporaries of one scalar multiplication, one set per thread, so that the per-operation
 * path allocates nothing. Every operation takes the set with {@link #get()} and wipes it
 * ({@link #wipe()}) in a {@code finally} before returning: between operations it holds only
 * zeros. No operation calls another while it holds the set (no re-entry).
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    /** Field elements: the ladder's x1, x2, z2 (its other variables are locals) or the fixed-base path's five temporaries. */
    final long[][] fe = new long[5][Field.LIMBS];
    /** Scratch of {@link Field#invert}. */
    final long[][] inv = new long[4][Field.LIMBS];
    /** The fixed-base accumulator (extended) and the last sum or double (completed). */
    final Point h = new Point();
    final Point r = new Point();
    /** The clamped scalar. */
    final byte[] scalar = new byte[32];
    /** Its signed radix-16 digits. */
    final byte[] digits = new byte[64];

    private Scratch() {
    }

    static Scratch get() {
        return LOCAL.get();
    }

    /** Copies 32 bytes of {@code k} at {@code off} into {@link #scalar} and clamps them (RFC 7748 section 5). */
    byte[] clamped(byte[] k, int off) {
        System.arraycopy(k, off, scalar, 0, 32);
        scalar[0] &= (byte) 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        return scalar;
    }

    void wipe() {
        for (long[] f : fe) {
            Field.zero(f);
        }
        for (long[] f : inv) {
            Field.zero(f);
        }
        h.wipe();
        r.wipe();
        Arrays.fill(scalar, (byte) 0);
        Arrays.fill(digits, (byte) 0);
    }
}
