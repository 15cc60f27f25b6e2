package io.pssst.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Which multiplication mod 2^255 - 19 is fastest in Java (the choice behind the built-in
 * X25519, docs/x25519.md): a chain of 100 dependent multiplications x = x·y, reported per
 * multiplication, for
 * <ul>
 *   <li>{@code multiplyHigh}: the library's {@code Field.mul} (radix 2^51, 25 products
 *       each as {@code a*b} and {@code Math.multiplyHigh}), called through a method handle;</li>
 *   <li>{@code hybrid}: the library's {@code Hybrid.mul} (radix 2^51, 25 {@code long} products
 *       for the low halves, the same products in {@code double} for the high halves: the
 *       ladder's product), called through a method handle;</li>
 *   <li>{@code split51}: radix 2^51, each 102-bit product from four {@code long} products of
 *       26-bit halves (no multiplyHigh);</li>
 *   <li>{@code radix25}: radix 2^25.5, ten limbs, 100 {@code long} products (ref10's layout,
 *       as the JDK and BouncyCastle use 10-limb fields).</li>
 * </ul>
 * The last two exist only here; each is checked against BigInteger in setup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FieldBenchmark {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final long M25 = (1L << 25) - 1;
    private static final long M26 = (1L << 26) - 1;
    private static final long M51 = (1L << 51) - 1;
    private static final int CHAIN = 100;
    private static final MethodHandle FIELD_MUL = field("Field", "mul", long[].class, long[].class, long[].class);
    private static final MethodHandle HYBRID_MUL = field("Hybrid", "mul", long[].class, long[].class, long[].class);
    /** The library's final carry chain, shared by both radix-2^51 variants. */
    private static final MethodHandle PROPAGATE = field("Field", "propagate", long[].class, long.class, long.class, long.class,
            long.class, long.class, long.class, long.class, long.class, long.class, long.class);

    private final long[] x5 = new long[5];
    private final long[] y5 = new long[5];
    private final long[] x10 = new long[10];
    private final long[] y10 = new long[10];

    private static MethodHandle field(String type, String name, Class<?>... parameters) {
        try {
            Method m = Class.forName("io.pssst.internal.x25519." + type).getDeclaredMethod(name, parameters);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the library's " + type + "." + name + " is not reachable", e);
        }
    }

    @Setup
    public void setUp() throws Throwable {
        SplittableRandom r = new SplittableRandom(1);
        for (int n = 0; n < 1000; n++) {
            BigInteger a = new BigInteger(255, new java.util.Random(r.nextLong())).mod(P);
            BigInteger b = new BigInteger(255, new java.util.Random(r.nextLong())).mod(P);
            BigInteger expected = a.multiply(b).mod(P);
            long[] o5 = new long[5];
            FIELD_MUL.invokeExact(o5, limbs51(a), limbs51(b));
            check(expected, value(o5, false), "multiplyHigh");
            HYBRID_MUL.invokeExact(o5, limbs51(a), limbs51(b));
            check(expected, value(o5, false), "hybrid");
            mulSplit(o5, limbs51(a), limbs51(b));
            check(expected, value(o5, false), "split51");
            long[] o10 = new long[10];
            mul10(o10, limbs25(a), limbs25(b));
            check(expected, value(o10, true), "radix25");
        }
        BigInteger x = BigInteger.valueOf(r.nextLong()).mod(P), y = P.subtract(BigInteger.valueOf(12345));
        System.arraycopy(limbs51(x), 0, x5, 0, 5);
        System.arraycopy(limbs51(y), 0, y5, 0, 5);
        System.arraycopy(limbs25(x), 0, x10, 0, 10);
        System.arraycopy(limbs25(y), 0, y10, 0, 10);
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public long[] multiplyHigh() throws Throwable {
        for (int i = 0; i < CHAIN; i++) {
            FIELD_MUL.invokeExact(x5, x5, y5);
        }
        return x5;
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public long[] hybrid() throws Throwable {
        for (int i = 0; i < CHAIN; i++) {
            HYBRID_MUL.invokeExact(x5, x5, y5);
        }
        return x5;
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public long[] split51() {
        for (int i = 0; i < CHAIN; i++) {
            mulSplit(x5, x5, y5);
        }
        return x5;
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public long[] radix25() {
        for (int i = 0; i < CHAIN; i++) {
            mul10(x10, x10, y10);
        }
        return x10;
    }

    /** Radix 2^51, each product of 51-bit limbs from four products of 26-bit halves (no multiplyHigh). */
    static void mulSplit(long[] o, long[] a, long[] b) {
        long a0 = a[0]; long a1 = a[1]; long a2 = a[2]; long a3 = a[3]; long a4 = a[4];
        long b0 = b[0]; long b1 = b[1]; long b2 = b[2]; long b3 = b[3]; long b4 = b[4];
        long n1 = 19 * b1; long n2 = 19 * b2; long n3 = 19 * b3; long n4 = 19 * b4;
        long al0 = a0 & M26, ah0 = a0 >>> 26; long al1 = a1 & M26, ah1 = a1 >>> 26; long al2 = a2 & M26, ah2 = a2 >>> 26; long al3 = a3 & M26, ah3 = a3 >>> 26; long al4 = a4 & M26, ah4 = a4 >>> 26;
        long bl0 = b0 & M26, bh0 = b0 >>> 26; long bl1 = b1 & M26, bh1 = b1 >>> 26; long bl2 = b2 & M26, bh2 = b2 >>> 26; long bl3 = b3 & M26, bh3 = b3 >>> 26; long bl4 = b4 & M26, bh4 = b4 >>> 26;
        long nl1 = n1 & M26, nh1 = n1 >>> 26; long nl2 = n2 & M26, nh2 = n2 >>> 26; long nl3 = n3 & M26, nh3 = n3 >>> 26; long nl4 = n4 & M26, nh4 = n4 >>> 26;
        long hh0 = ah0 * bh0 + ah1 * nh4 + ah2 * nh3 + ah3 * nh2 + ah4 * nh1;
        long mm0 = ah0 * bl0 + al0 * bh0 + ah1 * nl4 + al1 * nh4 + ah2 * nl3 + al2 * nh3 + ah3 * nl2 + al3 * nh2 + ah4 * nl1 + al4 * nh1;
        long ll0 = al0 * bl0 + al1 * nl4 + al2 * nl3 + al3 * nl2 + al4 * nl1;
        long t0 = ll0 + ((mm0 & M25) << 26);
        long c0 = (t0 >>> 51) + (mm0 >>> 25) + (hh0 << 1);
        long hh1 = ah0 * bh1 + ah1 * bh0 + ah2 * nh4 + ah3 * nh3 + ah4 * nh2;
        long mm1 = ah0 * bl1 + al0 * bh1 + ah1 * bl0 + al1 * bh0 + ah2 * nl4 + al2 * nh4 + ah3 * nl3 + al3 * nh3 + ah4 * nl2 + al4 * nh2;
        long ll1 = al0 * bl1 + al1 * bl0 + al2 * nl4 + al3 * nl3 + al4 * nl2;
        long t1 = ll1 + ((mm1 & M25) << 26);
        long c1 = (t1 >>> 51) + (mm1 >>> 25) + (hh1 << 1);
        long hh2 = ah0 * bh2 + ah1 * bh1 + ah2 * bh0 + ah3 * nh4 + ah4 * nh3;
        long mm2 = ah0 * bl2 + al0 * bh2 + ah1 * bl1 + al1 * bh1 + ah2 * bl0 + al2 * bh0 + ah3 * nl4 + al3 * nh4 + ah4 * nl3 + al4 * nh3;
        long ll2 = al0 * bl2 + al1 * bl1 + al2 * bl0 + al3 * nl4 + al4 * nl3;
        long t2 = ll2 + ((mm2 & M25) << 26);
        long c2 = (t2 >>> 51) + (mm2 >>> 25) + (hh2 << 1);
        long hh3 = ah0 * bh3 + ah1 * bh2 + ah2 * bh1 + ah3 * bh0 + ah4 * nh4;
        long mm3 = ah0 * bl3 + al0 * bh3 + ah1 * bl2 + al1 * bh2 + ah2 * bl1 + al2 * bh1 + ah3 * bl0 + al3 * bh0 + ah4 * nl4 + al4 * nh4;
        long ll3 = al0 * bl3 + al1 * bl2 + al2 * bl1 + al3 * bl0 + al4 * nl4;
        long t3 = ll3 + ((mm3 & M25) << 26);
        long c3 = (t3 >>> 51) + (mm3 >>> 25) + (hh3 << 1);
        long hh4 = ah0 * bh4 + ah1 * bh3 + ah2 * bh2 + ah3 * bh1 + ah4 * bh0;
        long mm4 = ah0 * bl4 + al0 * bh4 + ah1 * bl3 + al1 * bh3 + ah2 * bl2 + al2 * bh2 + ah3 * bl1 + al3 * bh1 + ah4 * bl0 + al4 * bh0;
        long ll4 = al0 * bl4 + al1 * bl3 + al2 * bl2 + al3 * bl1 + al4 * bl0;
        long t4 = ll4 + ((mm4 & M25) << 26);
        long c4 = (t4 >>> 51) + (mm4 >>> 25) + (hh4 << 1);
        try {
            PROPAGATE.invokeExact(o, t0, c0, t1, c1, t2, c2, t3, c3, t4, c4);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Radix 2^25.5, ten limbs (alternately 26 and 25 bits), 100 long products. */
    static void mul10(long[] h, long[] f, long[] g) {
        long f0 = f[0]; long f1 = f[1]; long f2 = f[2]; long f3 = f[3]; long f4 = f[4]; long f5 = f[5]; long f6 = f[6]; long f7 = f[7]; long f8 = f[8]; long f9 = f[9];
        long g0 = g[0]; long g1 = g[1]; long g2 = g[2]; long g3 = g[3]; long g4 = g[4]; long g5 = g[5]; long g6 = g[6]; long g7 = g[7]; long g8 = g[8]; long g9 = g[9];
        long g1n = 19 * g1; long g2n = 19 * g2; long g3n = 19 * g3; long g4n = 19 * g4; long g5n = 19 * g5; long g6n = 19 * g6; long g7n = 19 * g7; long g8n = 19 * g8; long g9n = 19 * g9;
        long f1d = 2 * f1; long f3d = 2 * f3; long f5d = 2 * f5; long f7d = 2 * f7; long f9d = 2 * f9;
        long h0 = f0 * g0 + f1d * g9n + f2 * g8n + f3d * g7n + f4 * g6n + f5d * g5n + f6 * g4n + f7d * g3n + f8 * g2n + f9d * g1n;
        long h1 = f0 * g1 + f1 * g0 + f2 * g9n + f3 * g8n + f4 * g7n + f5 * g6n + f6 * g5n + f7 * g4n + f8 * g3n + f9 * g2n;
        long h2 = f0 * g2 + f1d * g1 + f2 * g0 + f3d * g9n + f4 * g8n + f5d * g7n + f6 * g6n + f7d * g5n + f8 * g4n + f9d * g3n;
        long h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9n + f5 * g8n + f6 * g7n + f7 * g6n + f8 * g5n + f9 * g4n;
        long h4 = f0 * g4 + f1d * g3 + f2 * g2 + f3d * g1 + f4 * g0 + f5d * g9n + f6 * g8n + f7d * g7n + f8 * g6n + f9d * g5n;
        long h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9n + f7 * g8n + f8 * g7n + f9 * g6n;
        long h6 = f0 * g6 + f1d * g5 + f2 * g4 + f3d * g3 + f4 * g2 + f5d * g1 + f6 * g0 + f7d * g9n + f8 * g8n + f9d * g7n;
        long h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9n + f9 * g8n;
        long h8 = f0 * g8 + f1d * g7 + f2 * g6 + f3d * g5 + f4 * g4 + f5d * g3 + f6 * g2 + f7d * g1 + f8 * g0 + f9d * g9n;
        long h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
        long c;
        c = h0 >> 26; h1 += c; h0 &= M26;
        c = h4 >> 26; h5 += c; h4 &= M26;
        c = h1 >> 25; h2 += c; h1 &= M25;
        c = h5 >> 25; h6 += c; h5 &= M25;
        c = h2 >> 26; h3 += c; h2 &= M26;
        c = h6 >> 26; h7 += c; h6 &= M26;
        c = h3 >> 25; h4 += c; h3 &= M25;
        c = h7 >> 25; h8 += c; h7 &= M25;
        c = h4 >> 26; h5 += c; h4 &= M26;
        c = h8 >> 26; h9 += c; h8 &= M26;
        c = h9 >> 25; h0 += c * 19; h9 &= M25;
        c = h0 >> 26; h1 += c; h0 &= M26;
        h[0] = h0; h[1] = h1; h[2] = h2; h[3] = h3; h[4] = h4; h[5] = h5; h[6] = h6; h[7] = h7; h[8] = h8; h[9] = h9;
    }

    private static long[] limbs51(BigInteger v) {
        long[] f = new long[5];
        for (int i = 0; i < 5; i++) {
            f[i] = v.shiftRight(51 * i).longValue() & M51;
        }
        return f;
    }

    private static long[] limbs25(BigInteger v) {
        long[] f = new long[10];
        for (int i = 0, bit = 0; i < 10; bit += (i % 2 == 0) ? 26 : 25, i++) {
            f[i] = v.shiftRight(bit).longValue() & ((i % 2 == 0) ? M26 : M25);
        }
        return f;
    }

    private static BigInteger value(long[] f, boolean radix25) {
        BigInteger r = BigInteger.ZERO;
        for (int i = f.length - 1; i >= 0; i--) {
            int bits = radix25 ? ((i % 2 == 0) ? 26 : 25) : 51;
            r = r.shiftLeft(bits).add(BigInteger.valueOf(f[i]));
        }
        return r.mod(P);
    }

    private static void check(BigInteger expected, BigInteger got, String variant) {
        if (!expected.equals(got)) {
            throw new IllegalStateException(variant + " multiplies wrongly");
        }
    }
}
