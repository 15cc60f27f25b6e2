package io.pssst.internal.x25519;

/**
 * Four field elements of a point of edwards25519, read according to the coordinate system of
 * the operation that wrote them (as in ref10):
 * <ul>
 *   <li>extended (P3): x = X/Z, y = Y/Z, T = XY/Z;</li>
 *   <li>projective (P2): x = X/Z, y = Y/Z, {@code t} unused;</li>
 *   <li>completed (P1P1): x = X/Z, y = Y/T.</li>
 * </ul>
 */
final class Point {
    final long[] x = Field.create();
    final long[] y = Field.create();
    final long[] z = Field.create();
    final long[] t = Field.create();

    /** The neutral element (0, 1) in extended coordinates. */
    void setIdentity() {
        Field.zero(x);
        Field.one(y);
        Field.one(z);
        Field.zero(t);
    }

    void wipe() {
        Field.zero(x);
        Field.zero(y);
        Field.zero(z);
        Field.zero(t);
    }
}
