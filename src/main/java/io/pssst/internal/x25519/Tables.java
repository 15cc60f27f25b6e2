package io.pssst.internal.x25519;

/**
 * Builds the precomputed table of a point P of edwards25519 for the signed radix-16 comb of
 * {@link FixedBase}: row i (0..31) holds j·256^i·P for j = 1..8 as affine (y+x, y-x, 2d·x·y),
 * fully reduced, in one flat {@code long[]} (15 longs per entry). 31·5 doublings and 32·7
 * additions in extended coordinates, then one inversion for all 256 Z (Montgomery's trick).
 *
 * <p>Constant time in P: a fixed sequence of field operations over public indices (the table
 * of a secret point, such as a shared secret CS, is built exactly as any other). The
 * temporaries are wiped before returning.
 */
final class Tables {
    static final int ROWS = 32;
    static final int COLUMNS = 8;
    /** Longs per entry: y+x, y-x, 2dxy. */
    static final int ENTRY = 3 * Field.LIMBS;
    static final int LENGTH = ROWS * COLUMNS * ENTRY;

    /** Longs per projective point kept while building: X, Y, Z. */
    private static final int XYZ = 3 * Field.LIMBS;
    private static final int POINTS = ROWS * COLUMNS;

    private Tables() {
    }

    /** The table of p (extended). p is left unchanged. */
    static long[] build(Point p) {
        long[] points = new long[POINTS * XYZ];
        long[] prefix = new long[POINTS * Field.LIMBS];
        Point base = new Point(), cur = new Point(), r = new Point();
        long[] ypx = Field.create(), ymx = Field.create(), t2d = Field.create();
        long[] t0 = Field.create(), t1 = Field.create(), t2 = Field.create();
        long[][] s = new long[4][Field.LIMBS];
        try {
            copy(base, p);
            for (int row = 0; row < ROWS; row++) {
                // The addend base = 256^row·P in (Y+X, Y-X, Z, 2d·T).
                Field.add(ypx, base.y, base.x);
                Field.sub(ymx, base.y, base.x);
                Field.mul(t2d, base.t, Edwards.D2);
                copy(cur, base);
                store(points, row * COLUMNS, cur);
                for (int j = 1; j < COLUMNS; j++) {
                    Edwards.add(r, cur, ypx, ymx, base.z, t2d, t0);
                    Edwards.toExtended(cur, r);
                    store(points, row * COLUMNS + j, cur);
                }
                // cur = 8·base; the next row's base is 256·base = 2^5·cur.
                for (int i = 0; i < 5 && row + 1 < ROWS; i++) {
                    Edwards.dbl(r, cur, t0, t1);
                    if (i < 4) {
                        Edwards.toProjective(cur, r);
                    } else {
                        Edwards.toExtended(base, r);
                    }
                }
            }
            return normalize(points, prefix, s, t0, t1, t2);
        } finally {
            java.util.Arrays.fill(points, 0);
            java.util.Arrays.fill(prefix, 0);
            for (Point q : new Point[] {base, cur, r}) {
                q.wipe();
            }
            for (long[] f : new long[][] {ypx, ymx, t2d, t0, t1, t2, s[0], s[1], s[2], s[3]}) {
                Field.zero(f);
            }
        }
    }

    /** Affine (y+x, y-x, 2dxy) of every stored point, with a single inversion. */
    private static long[] normalize(long[] points, long[] prefix, long[][] s, long[] acc, long[] x, long[] y) {
        // prefix[i] = Z_0·Z_1·...·Z_i
        System.arraycopy(points, 2 * Field.LIMBS, prefix, 0, Field.LIMBS);
        long[] z = Field.create();
        for (int i = 1; i < POINTS; i++) {
            load(acc, prefix, (i - 1) * Field.LIMBS);
            load(z, points, i * XYZ + 2 * Field.LIMBS);
            Field.mul(acc, acc, z);
            System.arraycopy(acc, 0, prefix, i * Field.LIMBS, Field.LIMBS);
        }
        load(acc, prefix, (POINTS - 1) * Field.LIMBS);
        Field.invert(acc, acc, s); //                      1/(Z_0·...·Z_last)
        long[] table = new long[LENGTH];
        long[] zinv = Field.create();
        for (int i = POINTS - 1; i >= 0; i--) {
            if (i > 0) {
                load(zinv, prefix, (i - 1) * Field.LIMBS);
                Field.mul(zinv, zinv, acc); //             1/Z_i
                load(z, points, i * XYZ + 2 * Field.LIMBS);
                Field.mul(acc, acc, z); //                 1/(Z_0·...·Z_(i-1))
            } else {
                Field.copy(zinv, acc);
            }
            load(x, points, i * XYZ);
            Field.mul(x, x, zinv);
            load(y, points, i * XYZ + Field.LIMBS);
            Field.mul(y, y, zinv);
            int o = i * ENTRY;
            Field.add(z, y, x);
            Field.reduce(z, z);
            System.arraycopy(z, 0, table, o, Field.LIMBS);
            Field.sub(z, y, x);
            Field.reduce(z, z);
            System.arraycopy(z, 0, table, o + Field.LIMBS, Field.LIMBS);
            Field.mul(z, x, y);
            Field.mul(z, z, Edwards.D2);
            Field.reduce(z, z);
            System.arraycopy(z, 0, table, o + 2 * Field.LIMBS, Field.LIMBS);
        }
        Field.zero(z);
        Field.zero(zinv);
        return table;
    }

    private static void store(long[] points, int index, Point p) {
        int o = index * XYZ;
        System.arraycopy(p.x, 0, points, o, Field.LIMBS);
        System.arraycopy(p.y, 0, points, o + Field.LIMBS, Field.LIMBS);
        System.arraycopy(p.z, 0, points, o + 2 * Field.LIMBS, Field.LIMBS);
    }

    private static void load(long[] o, long[] from, int off) {
        System.arraycopy(from, off, o, 0, Field.LIMBS);
    }

    private static void copy(Point o, Point p) {
        Field.copy(o.x, p.x);
        Field.copy(o.y, p.y);
        Field.copy(o.z, p.z);
        Field.copy(o.t, p.t);
    }
}
