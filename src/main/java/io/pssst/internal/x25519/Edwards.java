package io.pssst.internal.x25519;

/**
 * The twisted Edwards curve edwards25519, -x² + y² = 1 + d·x²·y² with d = -121665/121666,
 * birationally equivalent to curve25519 by u = (1 + y)/(1 - y), y = (u - 1)/(u + 1)
 * (RFC 7748 section 4.1). Its addition law is complete (a = -1 is a square, d is not), so the
 * formulas below have no exceptional inputs: points of small order and the neutral element go
 * through the same arithmetic as any other point.
 *
 * <p>Formulas are those of Hisil-Wong-Carter-Dawson (2008) in the arrangement ref10 uses:
 * extended coordinates, mixed addition with affine precomputed points (y+x, y-x, 2dxy).
 * Nothing here branches on, or indexes memory by, a coordinate.
 */
final class Edwards {
    /** d = -121665/121666, 2d and sqrt(-1) = 2^((p-1)/4), computed once from their definitions. */
    static final long[] D = Field.create();
    static final long[] D2 = Field.create();
    static final long[] SQRT_M1 = Field.create();

    static {
        long[][] s = new long[4][Field.LIMBS];
        long[] t = Field.create();
        t[0] = 121666;
        Field.invert(D, t, s);
        t[0] = 121665;
        Field.mul(D, D, t);
        Field.neg(D, D);
        Field.reduce(D, D);
        Field.add(D2, D, D);
        Field.reduce(D2, D2);
        // 2^((p-1)/4) = 2^(2^253 - 5) = (2^(2^252 - 3))² · 2
        t[0] = 2;
        Field.pow22523(SQRT_M1, t, s);
        Field.square(SQRT_M1, SQRT_M1);
        Field.mul(SQRT_M1, SQRT_M1, t);
        Field.reduce(SQRT_M1, SQRT_M1);
    }

    private Edwards() {
    }

    /**
     * r (completed) = p (extended) + the affine point given as (y+x, y-x, 2dxy); 3M. The
     * precomputed point's elements must be below 3·2^52, p's tight.
     */
    static void madd(Point r, Point p, long[] ypx, long[] ymx, long[] xy2d, long[] t0) {
        Field.add(r.x, p.y, p.x);
        Field.sub(r.y, p.y, p.x);
        Field.mul(r.z, r.x, ypx); //    A = (Y1 + X1)(y2 + x2)
        Field.mul(r.y, r.y, ymx); //    B = (Y1 - X1)(y2 - x2)
        Field.mul(r.t, xy2d, p.t); //   C = 2d·x2·y2·T1
        Field.add(t0, p.z, p.z); //     D = 2·Z1
        Field.sub(r.x, r.z, r.y); //    A - B
        Field.add(r.y, r.z, r.y); //    A + B
        Field.add(r.z, t0, r.t); //     D + C
        Field.sub(r.t, t0, r.t); //     D - C
    }

    /**
     * r (completed) = p (extended) + q, with q given as (Y+X, Y-X, Z, 2d·T) of an extended
     * point; 4M. Unified: q may equal p.
     */
    static void add(Point r, Point p, long[] ypx, long[] ymx, long[] z, long[] t2d, long[] t0) {
        Field.add(r.x, p.y, p.x);
        Field.sub(r.y, p.y, p.x);
        Field.mul(r.z, r.x, ypx);
        Field.mul(r.y, r.y, ymx);
        Field.mul(r.t, t2d, p.t);
        Field.mul(r.x, p.z, z);
        Field.add(t0, r.x, r.x);
        Field.sub(r.x, r.z, r.y);
        Field.add(r.y, r.z, r.y);
        Field.add(r.z, t0, r.t);
        Field.sub(r.t, t0, r.t);
    }

    /** r (completed) = 2·p, p read as projective (its {@code t} is ignored); 4S. */
    static void dbl(Point r, Point p, long[] t0, long[] t1) {
        Field.square(r.x, p.x); //      XX
        Field.square(t1, p.y); //       YY
        Field.square(r.t, p.z); //      ZZ
        Field.add(r.y, p.x, p.y);
        Field.square(t0, r.y); //       AA = (X + Y)²
        Field.add(r.y, t1, r.x); //     Y3 = YY + XX
        Field.sub(r.z, t1, r.x); //     Z3 = YY - XX
        // T3 = 2·ZZ - Z3 = 2·ZZ + XX - YY and X3 = AA - YY - XX: subtracting only tight
        // values (XX, YY) keeps every limb below 3·2^52.
        Field.add(r.t, r.t, r.t);
        Field.add(r.t, r.t, r.x);
        Field.sub(r.t, r.t, t1);
        Field.sub(t0, t0, t1);
        Field.sub(r.x, t0, r.x);
    }

    /** o (extended) = r (completed); 4M. o and r must differ. */
    static void toExtended(Point o, Point r) {
        Field.mul(o.x, r.x, r.t);
        Field.mul(o.y, r.y, r.z);
        Field.mul(o.z, r.z, r.t);
        Field.mul(o.t, r.x, r.y);
    }

    /** o (projective) = r (completed); 3M. o and r must differ. */
    static void toProjective(Point o, Point r) {
        Field.mul(o.x, r.x, r.t);
        Field.mul(o.y, r.y, r.z);
        Field.mul(o.z, r.z, r.t);
    }

    /**
     * Sets p (extended, Z = 1) to a point of edwards25519 whose Montgomery image has
     * u-coordinate {@code u} (tight), and returns -1; returns 0 when there is none: u on the
     * quadratic twist, or u = -1 (where y = (u - 1)/(u + 1) is undefined; -1 is a twist point
     * anyway). Of the two points ±P with that u, the one returned is whichever the square root
     * gives: u(k·P) = u(k·(-P)).
     *
     * <p>Constant time in u: both roots are computed and the right one is chosen by mask; the
     * result mask is the only value a caller may branch on (see docs/x25519.md: for a secret u
     * of the form X25519(k, S) it depends on the public S only). Allocates its scratch: this
     * runs once per table.
     */
    static long fromMontgomery(Point p, long[] u) {
        long[][] s = new long[4][Field.LIMBS];
        long[] one = Field.create(), num = Field.create(), den = Field.create(), y2 = Field.create();
        long[] v = Field.create(), v3 = Field.create(), x = Field.create(), chk = Field.create();
        try {
            Field.one(one);
            Field.add(den, u, one);
            long notMinusOne = ~Field.isZeroMask(den);
            Field.invert(den, den, s);
            Field.sub(num, u, one);
            Field.mul(p.y, num, den); //                 y = (u - 1)/(u + 1), 0 for u = -1
            // x² = (y² - 1)/(d·y² + 1); the denominator is never 0 (-1/d is not a square).
            Field.square(y2, p.y);
            Field.sub(num, y2, one);
            Field.carry(num, num);
            Field.mul(v, y2, D);
            Field.add(v, v, one);
            // Candidate root x = num·v³·(num·v⁷)^((p-5)/8): x² = ±num/v when num/v is a square.
            Field.square(v3, v);
            Field.mul(v3, v3, v); //                      v³
            Field.square(x, v3);
            Field.mul(x, x, v); //                        v⁷
            Field.mul(x, x, num);
            Field.pow22523(x, x, s);
            Field.mul(x, x, v3);
            Field.mul(x, x, num);
            Field.square(chk, x);
            Field.mul(chk, chk, v); //                    v·x²
            long direct = Field.equalMask(chk, num, den);
            Field.add(chk, chk, num);
            long flipped = Field.isZeroMask(chk); //      v·x² = -num: x·sqrt(-1) is the root
            Field.mul(chk, x, SQRT_M1);
            Field.cmov(x, chk, flipped);
            Field.copy(p.x, x);
            Field.one(p.z);
            Field.mul(p.t, p.x, p.y);
            return (direct | flipped) & notMinusOne;
        } finally {
            for (long[] f : s) {
                Field.zero(f);
            }
            for (long[] f : new long[][] {num, den, y2, v, v3, x, chk}) {
                Field.zero(f);
            }
        }
    }

    /**
     * Writes u = (Z + Y)/(Z - Y) of p (extended or projective), canonical, 32 bytes at
     * {@code off}: the Montgomery u-coordinate of p, 0 for the neutral element (whose
     * denominator is 0, and 0^(p-2) = 0) as RFC 7748's ladder gives for the point at infinity.
     * {@code n}, {@code d} and {@code s} are scratch.
     */
    static void toMontgomery(byte[] out, int off, Point p, long[] n, long[] d, long[][] s) {
        Field.add(n, p.z, p.y);
        Field.sub(d, p.z, p.y);
        Field.invert(d, d, s);
        Field.mul(n, n, d);
        Field.encode(out, off, n);
    }
}
