package io.pssst.internal.x25519;

import static io.pssst.internal.x25519.Reference.P;
import static io.pssst.internal.x25519.Reference.le;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Edge scalars and edge u-coordinates for the differential and table tests. */
final class EdgeCases {
    /** The order of the prime subgroup, 2^252 + 27742317777372353535851937790883648493. */
    static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private EdgeCases() {
    }

    /** A reproducible random scalar. */
    static byte[] scalar(long seed) {
        byte[] k = new byte[32];
        new SplittableRandom(seed).nextBytes(k);
        return k;
    }

    /** 0, 1, all ones, each clamping bit alone and cleared alone, multiples of L, a few random. */
    static List<byte[]> scalars() {
        List<byte[]> out = new ArrayList<>();
        out.add(new byte[32]);
        out.add(le(BigInteger.ONE));
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        out.add(ones);
        for (int bit : new int[] {0, 1, 2, 3, 253, 254, 255}) {
            out.add(le(BigInteger.ZERO.setBit(bit)));
            out.add(le(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).clearBit(bit)));
        }
        for (BigInteger m : new BigInteger[] {L, L.subtract(BigInteger.ONE), L.add(BigInteger.ONE), L.shiftLeft(3),
            L.shiftLeft(3).add(BigInteger.ONE.shiftLeft(254)), L.multiply(BigInteger.valueOf(15))}) {
            out.add(le(m.mod(BigInteger.ONE.shiftLeft(256))));
        }
        for (int i = 0; i < 4; i++) {
            out.add(scalar(i));
        }
        return out;
    }

    /**
     * u: every low-order u (0, 1, -1, the two of order 8), non-canonical values (u >= p), bit
     * 255 set, the base point, twist points, and points with a small-order component.
     */
    static List<byte[]> points() {
        List<BigInteger> us = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE),
                Reference.ORDER8_A, Reference.ORDER8_B, BigInteger.valueOf(9), P, P.add(BigInteger.ONE),
                P.add(BigInteger.valueOf(9)), Reference.TWO_255.subtract(BigInteger.ONE),
                P.add(Reference.ORDER8_A).mod(Reference.TWO_255)));
        SplittableRandom random = new SplittableRandom(25519);
        int twist = 0;
        while (twist < 4) { // twist points
            BigInteger u = new BigInteger(255, new java.util.Random(random.nextLong())).mod(P);
            if (!Reference.onCurve(u)) {
                us.add(u);
                twist++;
            }
        }
        for (Reference.Pt q : List.of(Reference.lift(BigInteger.valueOf(9)), Reference.lift(onCurveU(random)))) {
            for (Reference.Pt t : smallOrderPoints()) {
                Reference.Pt sum = Reference.add(q, t);
                us.add(sum.u());
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (BigInteger u : us) {
            out.add(le(u));
            out.add(le(u.setBit(255))); // bit 255 must be ignored
        }
        return out;
    }

    /** A random u on the curve (with whatever small-order component it happens to have). */
    static BigInteger onCurveU(SplittableRandom random) {
        while (true) {
            BigInteger u = new BigInteger(255, new java.util.Random(random.nextLong())).mod(P);
            if (Reference.onCurve(u)) {
                return u;
            }
        }
    }

    /** Points of order 2, 4 and 8 of the curve (with their v). */
    static List<Reference.Pt> smallOrderPoints() {
        return List.of(new Reference.Pt(BigInteger.ZERO, BigInteger.ZERO), Reference.lift(BigInteger.ONE),
                Reference.lift(Reference.ORDER8_A), Reference.lift(Reference.ORDER8_B));
    }
}
