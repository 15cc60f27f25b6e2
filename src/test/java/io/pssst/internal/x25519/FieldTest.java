package io.pssst.internal.x25519;

import static io.pssst.internal.x25519.Reference.P;
import static io.pssst.internal.x25519.Reference.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The field arithmetic against {@link BigInteger}: every operation on random elements and on
 * elements at the documented bounds (limbs just below 3·2^52 for {@link Field}'s products,
 * below 2^53 for {@link Hybrid}'s, tight for subtrahends), the tightness of every result,
 * canonical encoding around p, and the constants.
 */
class FieldTest {
    private static final long SEED = 0x7748_2551_9L;
    private static final int ROUNDS = 20_000;
    /** Largest limb a product accepts (documented bound: below 3·2^52). */
    private static final long MUL_MAX = 3L * (1L << 52) - 1;
    /** Largest limb of a tight element: below 2^51 + 2^25. */
    private static final long TIGHT_MAX = (1L << 51) + (1L << 25) - 1;

    private final SplittableRandom random = new SplittableRandom(SEED);

    private long[] element(long max) {
        long[] f = Field.create();
        for (int i = 0; i < Field.LIMBS; i++) {
            switch (random.nextInt(4)) {
                case 0 -> f[i] = max;
                case 1 -> f[i] = max - random.nextLong(1 << 20);
                case 2 -> f[i] = random.nextLong(1 << 20);
                default -> f[i] = random.nextLong(max + 1);
            }
        }
        return f;
    }

    private static void assertTight(long[] f, String what) {
        for (long limb : f) {
            assertTrue(limb >= 0 && limb <= TIGHT_MAX, () -> what + ": limb " + limb + " not tight");
        }
    }

    private static void assertValue(BigInteger expected, long[] f, String what) {
        assertEquals(expected.mod(P), value(f).mod(P), what);
    }

    @Test
    void mulSquare_limbsUpToBound_matchBigIntegerAndTight() {
        for (int n = 0; n < ROUNDS; n++) {
            long[] a = element(MUL_MAX), b = element(MUL_MAX), o = Field.create();
            BigInteger va = value(a), vb = value(b);
            Field.mul(o, a, b);
            assertValue(va.multiply(vb), o, "mul");
            assertTight(o, "mul");
            Field.square(o, a);
            assertValue(va.multiply(va), o, "square");
            assertTight(o, "square");
            Field.mul121665(o, a);
            assertValue(va.multiply(BigInteger.valueOf(121665)), o, "mul121665");
            assertTight(o, "mul121665");
            Field.mul(a, a, a); // in place
            assertValue(va.multiply(va), a, "mul in place");
        }
    }

    @Test
    void mulSquare_allLimbsAtBound_matchBigInteger() {
        long[] a = {MUL_MAX, MUL_MAX, MUL_MAX, MUL_MAX, MUL_MAX}, o = Field.create();
        Field.mul(o, a, a);
        assertValue(value(a).pow(2), o, "mul at the bound");
        Field.square(o, a);
        assertValue(value(a).pow(2), o, "square at the bound");
        Field.mul121665(o, a);
        assertValue(value(a).multiply(BigInteger.valueOf(121665)), o, "mul121665 at the bound");
    }

    /** Largest limb {@link Hybrid}'s products accept (documented bound: below 2^53). */
    private static final long HYBRID_MAX = Hybrid.LIMB_BOUND - 1;

    @Test
    void hybrid_limbsUpToBound_matchBigIntegerAndTight() {
        for (int n = 0; n < ROUNDS; n++) {
            long[] a = element(HYBRID_MAX), b = element(HYBRID_MAX), o = Field.create();
            BigInteger va = value(a), vb = value(b);
            Hybrid.mul(o, a, b);
            assertValue(va.multiply(vb), o, "hybrid mul");
            assertTight(o, "hybrid mul");
            Hybrid.square(o, a);
            assertValue(va.multiply(va), o, "hybrid square");
            assertTight(o, "hybrid square");
            Hybrid.squareTimes(o, a, 3);
            assertValue(va.pow(8), o, "hybrid squareTimes");
            assertTight(o, "hybrid squareTimes");
            Hybrid.mul(a, a, b); // in place
            assertValue(va.multiply(vb), a, "hybrid mul in place");
        }
    }

    @Test
    void hybrid_allLimbsAtBound_matchBigInteger() {
        for (long limb : new long[] {HYBRID_MAX, TIGHT_MAX, (1L << 52) + (1L << 26), 3L << 51}) {
            long[] a = {limb, limb, limb, limb, limb}, o = Field.create();
            Hybrid.mul(o, a, a);
            assertValue(value(a).pow(2), o, "hybrid mul, limbs " + limb);
            Hybrid.square(o, a);
            assertValue(value(a).pow(2), o, "hybrid square, limbs " + limb);
        }
        // Column 0 at its largest with the other columns small, and the reverse.
        long[] a = {HYBRID_MAX, HYBRID_MAX, 0, 0, HYBRID_MAX}, b = {HYBRID_MAX, 0, 0, 0, HYBRID_MAX}, o = Field.create();
        Hybrid.mul(o, a, b);
        assertValue(value(a).multiply(value(b)), o, "hybrid mul, uneven columns");
    }

    @Test
    void hybrid_beyondBound_fails() {
        // Limbs of 3·2^53: column 0 is near 2^115, the double estimate may miss it by more than
        // 2^63 and the high word comes out wrong: the bound is real, and this test can tell.
        long big = 3L << 53;
        long[] a = {big, big, big, big, big}, o = Field.create();
        Hybrid.square(o, a);
        assertNotEquals(value(a).pow(2).mod(P), value(o).mod(P), "square");
        Hybrid.mul(o, a, a);
        assertNotEquals(value(a).pow(2).mod(P), value(o).mod(P));
    }

    @Test
    void addSubNeg_matchBigInteger() {
        for (int n = 0; n < ROUNDS; n++) {
            long[] a = element(MUL_MAX - (1L << 52)), b = element(TIGHT_MAX), o = Field.create();
            Field.add(o, a, b);
            assertValue(value(a).add(value(b)), o, "add");
            Field.sub(o, a, b);
            assertValue(value(a).subtract(value(b)), o, "sub");
            assertTrue(o[0] >= 0 && o[1] >= 0 && o[2] >= 0 && o[3] >= 0 && o[4] >= 0, "sub never goes negative");
            Field.neg(o, b);
            assertValue(value(b).negate(), o, "neg");
        }
    }

    @Test
    void reduceEncode_aroundP_canonical() {
        BigInteger[] values = {BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), P, P.add(BigInteger.ONE),
            P.add(BigInteger.valueOf(18)), Reference.TWO_255.subtract(BigInteger.ONE), P.shiftLeft(1).subtract(BigInteger.ONE)};
        for (BigInteger v : values) {
            long[] f = limbs(v);
            byte[] out = new byte[32];
            Field.encode(out, 0, f);
            assertEquals(v.mod(P), Reference.fromLe(out), "encode " + v);
            assertEquals(v.mod(P), value(f), "reduce leaves the canonical value " + v);
        }
        // loose limbs: every limb near 2^62
        long[] f = {(1L << 62) - 1, (1L << 62) - 1, (1L << 62) - 1, (1L << 62) - 1, (1L << 62) - 1};
        BigInteger v = value(f);
        Field.reduce(f, f);
        assertEquals(v.mod(P), value(f));
    }

    @Test
    void decode_ignoresBit255_keepsNonCanonical() {
        for (int n = 0; n < ROUNDS; n++) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            if (n % 4 == 0) { // values from p to 2^255 - 1
                b = Reference.le(P.add(BigInteger.valueOf(random.nextInt(19))).setBit(random.nextBoolean() ? 255 : 0));
            }
            long[] f = Field.create();
            Field.decode(f, b, 0);
            assertEquals(Reference.fromLe(b).clearBit(255), value(f));
            assertTight(f, "decode");
        }
    }

    @Test
    void invertPow22523_matchBigInteger() {
        long[][] s = new long[4][Field.LIMBS];
        BigInteger e = P.subtract(BigInteger.valueOf(5)).shiftRight(3);
        for (int n = 0; n < 200; n++) {
            long[] a = element(TIGHT_MAX), o = Field.create();
            BigInteger va = value(a).mod(P);
            Field.invert(o, a, s);
            assertValue(va.signum() == 0 ? BigInteger.ZERO : va.modInverse(P), o, "invert");
            Field.pow22523(o, a, s);
            assertValue(va.modPow(e, P), o, "pow22523");
        }
        long[] zero = limbs(P), o = Field.create();
        Field.invert(o, zero, s);
        assertEquals(BigInteger.ZERO, value(o).mod(P), "0^(p-2) = 0");
    }

    @Test
    void constants_matchTheirDefinitions() {
        BigInteger d = value(Edwards.D);
        assertEquals(BigInteger.valueOf(-121665).mod(P), d.multiply(BigInteger.valueOf(121666)).mod(P), "d");
        assertEquals(d.shiftLeft(1).mod(P), value(Edwards.D2), "2d");
        BigInteger i = value(Edwards.SQRT_M1);
        assertEquals(P.subtract(BigInteger.ONE), i.multiply(i).mod(P), "sqrt(-1)");
        assertEquals(-1, Reference.legendre(d), "d is not a square: the Edwards addition law is complete");
        // u = -1 lies on the twist: v² = -1 + A - 1 = 486660 has no root.
        assertEquals(-1, Reference.legendre(BigInteger.valueOf(486660)));
        assertTrue(!Reference.onCurve(P.subtract(BigInteger.ONE)));
    }

    @Test
    void masks_zeroEqualSwapMove() {
        assertEquals(-1L, Field.isZeroMask(limbs(BigInteger.ZERO)));
        assertEquals(-1L, Field.isZeroMask(limbs(P)), "p is zero");
        assertEquals(-1L, Field.isZeroMask(new long[] {(1L << 52) - 38, (1L << 52) - 2, (1L << 52) - 2, (1L << 52) - 2,
            (1L << 52) - 2}), "2p is zero");
        assertEquals(0L, Field.isZeroMask(limbs(BigInteger.ONE)));
        assertEquals(0L, Field.isZeroMask(limbs(P.subtract(BigInteger.ONE))));
        long[] d = Field.create();
        assertEquals(-1L, Field.equalMask(limbs(P.add(BigInteger.valueOf(5))), limbs(BigInteger.valueOf(5)), d));
        assertEquals(0L, Field.equalMask(limbs(BigInteger.valueOf(6)), limbs(BigInteger.valueOf(5)), d));

        long[] a = element(TIGHT_MAX), b = element(TIGHT_MAX), a0 = a.clone(), b0 = b.clone();
        Field.cswap(a, b, 0);
        assertArrayEquals(a0, a);
        assertArrayEquals(b0, b);
        Field.cswap(a, b, 1);
        assertArrayEquals(b0, a);
        assertArrayEquals(a0, b);
        Field.cmov(a, b, 0);
        assertArrayEquals(b0, a);
        Field.cmov(a, b, -1);
        assertArrayEquals(a0, a);
    }

    /** Limbs of 0 <= v < 2^266 (not reduced; limb 4 takes every bit from 204 up). */
    private static long[] limbs(BigInteger v) {
        long[] f = Field.create();
        for (int i = 0; i < Field.LIMBS - 1; i++) {
            f[i] = v.shiftRight(51 * i).longValue() & Field.MASK51;
        }
        f[4] = v.shiftRight(204).longValueExact();
        return f;
    }
}
