package io.pssst.internal.x25519;

import static io.pssst.internal.x25519.Reference.P;
import static io.pssst.internal.x25519.Reference.le;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.internal.Bytes;
import java.lang.reflect.Field;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every fixed-base result equals the ladder's: the base point's table, tables of random
 * points of the curve (most with a small-order component), of points with each small-order
 * component added, of the low-order points themselves and of non-canonical u; no table for
 * twist points and u = -1; tables are wiped by destroy() and never printed.
 */
class FixedBaseTest {
    private static final long SEED = 7748;
    private final SplittableRandom random = new SplittableRandom(SEED);

    private byte[] randomScalar() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    private static void assertSameAsLadder(FixedBase table, byte[] u, byte[] k) {
        assertEquals(Bytes.hex(X25519Builtin.x25519(k, u)), Bytes.hex(table.multiply(k)),
                () -> "u " + Bytes.hex(u) + ", k " + Bytes.hex(k));
    }

    @Test
    void basePoint_publicKey_sameAsLadder() {
        byte[] nine = le(BigInteger.valueOf(9));
        for (int i = 0; i < 2_000; i++) {
            byte[] k = randomScalar();
            assertArrayEquals(X25519Builtin.x25519(k, nine), X25519Builtin.publicKey(k));
        }
        for (byte[] k : EdgeCases.scalars()) {
            assertArrayEquals(X25519Builtin.x25519(k, nine), X25519Builtin.publicKey(k));
        }
    }

    @Test
    void randomCurvePoints_sameAsLadder() {
        for (int p = 0; p < 40; p++) {
            byte[] u = le(EdgeCases.onCurveU(random));
            FixedBase table = FixedBase.of(u).orElseThrow(() -> new AssertionError("no table for a curve point"));
            for (int i = 0; i < 50; i++) {
                assertSameAsLadder(table, u, randomScalar());
            }
            for (byte[] k : EdgeCases.scalars()) {
                assertSameAsLadder(table, u, k);
            }
        }
    }

    /**
     * Q + T for T of order 2, 4, 8: the clamped scalar is a multiple of 8, so the result is
     * X25519(k, Q); a table reducing k modulo the group order would miss it.
     */
    @Test
    void smallOrderComponent_sameAsLadder_andAsWithout() {
        for (int p = 0; p < 4; p++) {
            Reference.Pt q = Reference.lift(p == 0 ? BigInteger.valueOf(9) : EdgeCases.onCurveU(random));
            for (Reference.Pt t : EdgeCases.smallOrderPoints()) {
                byte[] u = le(Reference.add(q, t).u());
                FixedBase table = FixedBase.of(u).orElseThrow();
                for (int i = 0; i < 20; i++) {
                    byte[] k = randomScalar();
                    assertSameAsLadder(table, u, k);
                    assertArrayEquals(X25519Builtin.x25519(k, le(q.u())), table.multiply(k));
                }
            }
        }
    }

    @Test
    void lowOrderPoints_haveTables_allZero() {
        for (BigInteger u : List.of(BigInteger.ZERO, BigInteger.ONE, Reference.ORDER8_A, Reference.ORDER8_B)) {
            FixedBase table = FixedBase.of(le(u)).orElseThrow();
            for (byte[] k : EdgeCases.scalars()) {
                assertArrayEquals(new byte[32], table.multiply(k), "u " + u);
                assertSameAsLadder(table, le(u), k);
            }
        }
    }

    @Test
    void nonCanonicalAndBit255_sameAsCanonical() {
        for (int p = 0; p < 10; p++) {
            BigInteger u = EdgeCases.onCurveU(random);
            List<byte[]> forms = new ArrayList<>(List.of(le(u), le(u.setBit(255))));
            if (u.add(P).bitLength() <= 255) {
                forms.add(le(u.add(P)));
            }
            byte[] k = randomScalar();
            byte[] expected = X25519Builtin.x25519(k, le(u));
            for (byte[] form : forms) {
                assertArrayEquals(expected, FixedBase.of(form).orElseThrow().multiply(k), "u " + Bytes.hex(form));
            }
        }
        for (BigInteger small : List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(9))) {
            byte[] k = randomScalar();
            assertArrayEquals(X25519Builtin.x25519(k, le(small)), FixedBase.of(le(small.add(P))).orElseThrow().multiply(k));
        }
    }

    @Test
    void tableExists_exactlyForCurvePoints_notTwistNorMinusOne() {
        int twist = 0;
        for (int i = 0; i < 400; i++) {
            byte[] u = randomScalar();
            boolean onCurve = Reference.onCurve(Reference.decodeU(u));
            assertEquals(onCurve, FixedBase.of(u).isPresent(), () -> "u " + Bytes.hex(u));
            twist += onCurve ? 0 : 1;
        }
        assertTrue(twist > 150 && twist < 250, "about half of all u lie on the twist: " + twist);
        assertFalse(FixedBase.of(le(P.subtract(BigInteger.ONE))).isPresent(), "u = -1");
        assertFalse(FixedBase.of(le(Reference.TWO_255.subtract(BigInteger.valueOf(20)))).isPresent(), "u = -1 again");
        assertFalse(FixedBase.of(le(P.subtract(BigInteger.ONE).setBit(255))).isPresent(), "u = -1, bit 255 set");
    }

    @Test
    void destroy_wipesTable_refusesUse() throws ReflectiveOperationException {
        FixedBase table = FixedBase.of(le(BigInteger.valueOf(9))).orElseThrow();
        assertTrue(table.memoryBytes() > 30_000 && table.memoryBytes() < 32_000, "memory " + table.memoryBytes());
        assertEquals("FixedBase[X25519 table, " + table.memoryBytes() + " bytes]", table.toString());
        Field f = FixedBase.class.getDeclaredField("table");
        f.setAccessible(true);
        long[] data = (long[]) f.get(table);
        assertTrue(java.util.Arrays.stream(data).anyMatch(x -> x != 0));
        table.destroy();
        assertTrue(table.isDestroyed());
        assertTrue(java.util.Arrays.stream(data).allMatch(x -> x == 0), "wiped");
        assertThrows(IllegalStateException.class, () -> table.multiply(new byte[32]));
        assertEquals("FixedBase[X25519 table, destroyed]", table.toString());
    }

    @Test
    void badArguments_typedErrors() {
        FixedBase table = FixedBase.of(le(BigInteger.valueOf(9))).orElseThrow();
        assertThrows(NullPointerException.class, () -> FixedBase.of(null));
        assertThrows(IllegalArgumentException.class, () -> FixedBase.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> table.multiply(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> table.multiply(new byte[31], new byte[32]));
        assertThrows(IndexOutOfBoundsException.class, () -> table.multiply(new byte[40], 9, new byte[32], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> table.multiply(new byte[32], 0, new byte[32], -1));
        assertThrows(IllegalArgumentException.class, () -> X25519Builtin.x25519(new byte[32], new byte[3]));
        assertThrows(NullPointerException.class, () -> X25519Builtin.x25519(null, new byte[32]));
        assertThrows(IndexOutOfBoundsException.class,
                () -> X25519Builtin.x25519(new byte[32], 1, new byte[32], 0, new byte[32], 0));
        assertThrows(IllegalArgumentException.class, () -> X25519Builtin.publicKey(new byte[16]));
    }

    @Test
    void offsetsAndInPlace_sameResult() {
        byte[] u = le(EdgeCases.onCurveU(random)), k = randomScalar();
        byte[] expected = X25519Builtin.x25519(k, u);
        byte[] buf = new byte[100];
        System.arraycopy(k, 0, buf, 3, 32);
        System.arraycopy(u, 0, buf, 50, 32);
        byte[] out = new byte[40];
        X25519Builtin.x25519(out, 8, buf, 3, buf, 50);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 8, 40));
        X25519Builtin.x25519(buf, 50, buf, 3, buf, 50); // out over u
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(buf, 50, 82));
        byte[] inPlace = k.clone();
        FixedBase.of(u).orElseThrow().multiply(inPlace, inPlace); // out over the scalar
        assertArrayEquals(expected, inPlace);
    }

    /** Every operation leaves the thread's scratch all zero, and callers' scalars untouched. */
    @Test
    void scratch_wipedAfterEachOperation() {
        byte[] k = randomScalar(), kCopy = k.clone(), u = le(EdgeCases.onCurveU(random));
        X25519Builtin.x25519(k, u);
        assertWiped(Scratch.get());
        FixedBase.of(u).orElseThrow().multiply(k);
        assertWiped(Scratch.get());
        assertArrayEquals(kCopy, k);
    }

    private static void assertWiped(Scratch s) {
        for (long[] f : s.fe) {
            assertArrayEquals(new long[5], f);
        }
        for (long[] f : s.inv) {
            assertArrayEquals(new long[5], f);
        }
        for (long[] f : new long[][] {s.h.x, s.h.y, s.h.z, s.h.t, s.r.x, s.r.y, s.r.z, s.r.t}) {
            assertArrayEquals(new long[5], f);
        }
        assertArrayEquals(new byte[32], s.scalar);
        assertArrayEquals(new byte[64], s.digits);
    }

    /** One table, two threads multiplying at once: each thread has its own scratch. */
    @Test
    void sharedTable_twoThreads_sameAsLadder() throws Exception {
        byte[] u = le(EdgeCases.onCurveU(random));
        FixedBase table = FixedBase.of(u).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Optional<String>>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = random.nextLong();
                Callable<Optional<String>> job = () -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    byte[] k = new byte[32];
                    for (int i = 0; i < 300; i++) {
                        r.nextBytes(k);
                        if (!java.util.Arrays.equals(X25519Builtin.x25519(k, u), table.multiply(k))) {
                            return Optional.of("k " + Bytes.hex(k));
                        }
                    }
                    return Optional.empty();
                };
                results.add(pool.submit(job));
            }
            for (Future<Optional<String>> f : results) {
                assertEquals(Optional.empty(), f.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
