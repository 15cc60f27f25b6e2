package io.pssst.internal.x25519;

import java.math.BigInteger;

/**
 * Plain {@link BigInteger} arithmetic on curve25519, v² = u³ + A·u² + u over p = 2^255 - 19,
 * independent of the code under test: conversions of field elements, Legendre symbols,
 * square roots and affine point addition (to build points with a small-order component).
 */
final class Reference {
    static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    static final BigInteger A = BigInteger.valueOf(486662);
    static final BigInteger TWO_255 = BigInteger.ONE.shiftLeft(255);

    /** u of the two points of order 8 on the curve (the other low-order u are 0, 1, p-1). */
    static final BigInteger ORDER8_A =
            new BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504");
    static final BigInteger ORDER8_B =
            new BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823");

    private Reference() {
    }

    /** An affine point (u, v); {@code null} is the point at infinity. */
    record Pt(BigInteger u, BigInteger v) {
    }

    static BigInteger value(long[] f) {
        BigInteger r = BigInteger.ZERO;
        for (int i = Field.LIMBS - 1; i >= 0; i--) {
            r = r.shiftLeft(51).add(BigInteger.valueOf(f[i]));
        }
        return r;
    }

    /** The 32-byte little-endian encoding of 0 <= x < 2^256. */
    static byte[] le(BigInteger x) {
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = x.shiftRight(8 * i).byteValue();
        }
        return out;
    }

    static BigInteger fromLe(byte[] b) {
        BigInteger r = BigInteger.ZERO;
        for (int i = 31; i >= 0; i--) {
            r = r.shiftLeft(8).add(BigInteger.valueOf(b[i] & 0xff));
        }
        return r;
    }

    /** The value RFC 7748 decodes from 32 bytes: bit 255 dropped, reduced mod p. */
    static BigInteger decodeU(byte[] b) {
        return fromLe(b).clearBit(255).mod(P);
    }

    /** 1 for a non-zero square, -1 for a non-square, 0 for 0. */
    static int legendre(BigInteger a) {
        BigInteger r = a.mod(P).modPow(P.subtract(BigInteger.ONE).shiftRight(1), P);
        return r.signum() == 0 ? 0 : r.equals(BigInteger.ONE) ? 1 : -1;
    }

    static BigInteger rhs(BigInteger u) {
        return u.pow(3).add(A.multiply(u.pow(2))).add(u).mod(P);
    }

    /** Whether u is the u-coordinate of a point of curve25519 (else it is on the twist). */
    static boolean onCurve(BigInteger u) {
        return legendre(rhs(u)) >= 0;
    }

    /** A square root of a square a (p ≡ 5 mod 8). */
    static BigInteger sqrt(BigInteger a) {
        a = a.mod(P);
        BigInteger x = a.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(a)) {
            BigInteger i = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
            x = x.multiply(i).mod(P);
        }
        if (!x.multiply(x).mod(P).equals(a)) {
            throw new IllegalArgumentException("not a square");
        }
        return x;
    }

    /** A point of the curve with this u. */
    static Pt lift(BigInteger u) {
        return new Pt(u.mod(P), sqrt(rhs(u)));
    }

    /** Affine addition on the Montgomery curve (B = 1). */
    static Pt add(Pt a, Pt b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        BigInteger lambda;
        if (a.u.equals(b.u)) {
            if (a.v.add(b.v).mod(P).signum() == 0) {
                return null;
            }
            BigInteger num = BigInteger.valueOf(3).multiply(a.u.pow(2)).add(BigInteger.TWO.multiply(A).multiply(a.u))
                    .add(BigInteger.ONE);
            lambda = num.multiply(BigInteger.TWO.multiply(a.v).modInverse(P)).mod(P);
        } else {
            lambda = b.v.subtract(a.v).multiply(b.u.subtract(a.u).modInverse(P)).mod(P);
        }
        BigInteger u = lambda.pow(2).subtract(A).subtract(a.u).subtract(b.u).mod(P);
        BigInteger v = lambda.multiply(a.u.subtract(u)).subtract(a.v).mod(P);
        return new Pt(u, v);
    }
}
