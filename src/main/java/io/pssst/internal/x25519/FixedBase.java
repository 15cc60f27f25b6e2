package io.pssst.internal.x25519;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.Destroyable;

/**
 * X25519(k, u) for one fixed u, with a table precomputed from u: about 4 times fewer field
 * multiplications than the ladder. The result is always exactly the ladder's (RFC 7748's):
 * the clamped scalar is used whole, never reduced modulo the group order, so points with a
 * small-order component give the same answer as the ladder does.
 *
 * <p><b>Which u have a table.</b> The table holds multiples of a point of edwards25519 that
 * maps to u. About half of all u (those on the quadratic twist of curve25519, and u = -1)
 * have none; {@link #of} returns empty for them and the caller uses
 * {@link X25519Builtin#x25519}. Whether a table exists depends only on whether u lies on the
 * curve or on the twist; for a u that is itself X25519(k, S), that is S's property: public.
 *
 * <p><b>Constant time.</b> {@link #multiply} scans every entry of each of the 64 rows it
 * visits with masks (no memory index depends on the scalar), negates by mask, and runs a fixed
 * sequence of field operations. Building the table ({@link #of}) is a fixed sequence of field
 * operations too, so a secret u (a shared secret) may be given.
 *
 * <p><b>Secrets.</b> The table of a secret u is secret: {@link #destroy()} wipes it (callers
 * own the table and should destroy it when done); {@link #toString()} never shows it.
 * Instances are safe to use from several threads at once (the table is read-only); do not
 * destroy one while another thread multiplies with it.
 */
public final class FixedBase implements Destroyable {
    /** The key length: scalars, u-coordinates and results are 32 bytes. */
    public static final int LENGTH = 32;

    private final long[] table;
    private volatile boolean destroyed;

    private FixedBase(long[] table) {
        this.table = table;
    }

    /**
     * The table of {@code u} (32 bytes little-endian, bit 255 ignored, values &ge; p reduced
     * as RFC 7748 says), or empty when u has no point on edwards25519 (u on the twist, or
     * u = -1): use the ladder for those. Takes about as long as one or two ladders. The
     * array is not kept.
     *
     * @throws NullPointerException if {@code u} is null
     * @throws IllegalArgumentException if {@code u} is not 32 bytes long
     */
    public static Optional<FixedBase> of(byte[] u) {
        X25519Builtin.checkLength(u, "u");
        long[] uf = Field.create();
        Point p = new Point();
        try {
            Field.decode(uf, u, 0);
            long ok = Edwards.fromMontgomery(p, uf);
            // The one branch on u: whether it is on the curve (public, see the class comment).
            if (ok == 0) {
                return Optional.empty();
            }
            return Optional.of(new FixedBase(Tables.build(p)));
        } finally {
            Field.zero(uf);
            p.wipe();
        }
    }

    /** The table of the base point 9 (built by the caller once). */
    static FixedBase basePoint() {
        byte[] nine = new byte[LENGTH];
        nine[0] = 9;
        return of(nine).orElseThrow(() -> new AssertionError("the base point has no Edwards image"));
    }

    /**
     * Writes X25519(scalar, u) to {@code out}, 32 bytes each; out may be the scalar array.
     * All zero when u has small order (refusing that is the caller's business).
     *
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException if an array is not 32 bytes long
     * @throws IllegalStateException if the table was destroyed
     */
    public void multiply(byte[] out, byte[] scalar) {
        X25519Builtin.checkLength(out, "out");
        X25519Builtin.checkLength(scalar, "scalar");
        multiply(out, 0, scalar, 0);
    }

    /** As {@link #multiply(byte[], byte[])}, returning a new array. */
    public byte[] multiply(byte[] scalar) {
        byte[] out = new byte[LENGTH];
        multiply(out, scalar);
        return out;
    }

    /**
     * As {@link #multiply(byte[], byte[])}, with 32 bytes at the given offsets.
     *
     * @throws IndexOutOfBoundsException if a range is outside its array
     */
    public void multiply(byte[] out, int outOff, byte[] scalar, int scalarOff) {
        Objects.checkFromIndexSize(outOff, LENGTH, out.length);
        Objects.checkFromIndexSize(scalarOff, LENGTH, scalar.length);
        if (destroyed) {
            throw new IllegalStateException("this X25519 table was destroyed");
        }
        Scratch s = Scratch.get();
        try {
            byte[] e = digits(s, s.clamped(scalar, scalarOff));
            long[][] f = s.fe;
            long[] ypx = f[0], ymx = f[1], xy2d = f[2], t0 = f[3], t1 = f[4];
            Point h = s.h, r = s.r;
            h.setIdentity();
            // k·P = sum of e_i·16^i·P: the odd digits first, times 16, then the even ones.
            for (int i = 1; i < 64; i += 2) {
                select(ypx, ymx, xy2d, t0, i >>> 1, e[i]);
                Edwards.madd(r, h, ypx, ymx, xy2d, t0);
                Edwards.toExtended(h, r);
            }
            Edwards.dbl(r, h, t0, t1);
            Edwards.toProjective(h, r);
            Edwards.dbl(r, h, t0, t1);
            Edwards.toProjective(h, r);
            Edwards.dbl(r, h, t0, t1);
            Edwards.toProjective(h, r);
            Edwards.dbl(r, h, t0, t1);
            Edwards.toExtended(h, r);
            for (int i = 0; i < 64; i += 2) {
                select(ypx, ymx, xy2d, t0, i >>> 1, e[i]);
                Edwards.madd(r, h, ypx, ymx, xy2d, t0);
                Edwards.toExtended(h, r);
            }
            Edwards.toMontgomery(out, outOff, h, t0, t1, s.inv);
        } finally {
            s.wipe();
        }
    }

    /**
     * The 64 signed radix-16 digits e_i in [-8, 8] of the clamped scalar k (k below 2^255, so
     * the top digit stays within 8): k = sum of e_i·16^i.
     */
    static byte[] digits(Scratch s, byte[] k) {
        byte[] e = s.digits;
        for (int i = 0; i < 32; i++) {
            e[2 * i] = (byte) (k[i] & 15);
            e[2 * i + 1] = (byte) ((k[i] >>> 4) & 15);
        }
        int carry = 0;
        for (int i = 0; i < 63; i++) {
            int v = e[i] + carry;
            carry = (v + 8) >> 4;
            e[i] = (byte) (v - (carry << 4));
        }
        e[63] += (byte) carry;
        return e;
    }

    /**
     * (ypx, ymx, xy2d) = digit·256^row·P: every entry of the row is read, the one whose
     * multiple equals |digit| kept by mask (the neutral element (1, 1, 0) for 0), then negated
     * by mask for a negative digit ((y+x, y-x, 2dxy) of -Q is (y-x, y+x, -2dxy)).
     */
    private void select(long[] ypx, long[] ymx, long[] xy2d, long[] t, int row, int digit) {
        int negative = digit >>> 31;
        int abs = digit - ((-negative & digit) << 1);
        int base = row * Tables.COLUMNS * Tables.ENTRY;
        scan(ypx, base, abs, 1);
        scan(ymx, base + Field.LIMBS, abs, 1);
        scan(xy2d, base + 2 * Field.LIMBS, abs, 0);
        Field.cswap(ypx, ymx, negative);
        Field.neg(t, xy2d);
        Field.cmov(xy2d, t, -(long) negative);
    }

    /**
     * o = the element at {@code off} of the entry whose multiple is {@code abs} (1..8), or the
     * small value {@code none} for abs = 0: every entry of the row is read, AND-ed with its
     * mask (all ones for the wanted entry, zero for the others) and OR-ed into the result.
     * Locals only, so that the scan stores nothing.
     */
    private void scan(long[] o, int off, int abs, long none) {
        long[] tb = table;
        long q0 = none & ((abs - 1) >> 31), q1 = 0, q2 = 0, q3 = 0, q4 = 0;
        for (int j = 0; j < Tables.COLUMNS; j++) {
            long m = ((abs ^ (j + 1)) - 1) >> 31; // -1 when abs == j + 1, else 0
            int i = off + j * Tables.ENTRY;
            q0 |= m & tb[i];
            q1 |= m & tb[i + 1];
            q2 |= m & tb[i + 2];
            q3 |= m & tb[i + 3];
            q4 |= m & tb[i + 4];
        }
        o[0] = q0;
        o[1] = q1;
        o[2] = q2;
        o[3] = q3;
        o[4] = q4;
    }

    /** The approximate heap size of this object and its table, in bytes. */
    public long memoryBytes() {
        // object header + fields, array header + 8 bytes per long
        return 24 + 16 + 8L * table.length;
    }

    /** Wipes the table; {@link #multiply} refuses to run afterwards. */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(table, 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Never shows the table. */
    @Override
    public String toString() {
        return "FixedBase[X25519 table, " + (destroyed ? "destroyed" : memoryBytes() + " bytes") + "]";
    }
}
