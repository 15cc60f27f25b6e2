package io.pssst.internal.x25519;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The built-in ladder against the JDK's X25519: seeded-random scalar/point pairs (a fresh seed
 * each run, printed; {@code -Dpssst.x25519.seed=N} replays one), and every combination of
 * edge scalars and edge points. With {@code -Dpssst.x25519.long=true}, 10,000,000 pairs
 * (tens of minutes; see docs/x25519.md), or as many as {@code -Dpssst.x25519.pairs=N} says.
 */
class X25519DifferentialTest {
    private static final int PAIRS = 100_000;
    private static final int LONG_PAIRS = Integer.getInteger("pssst.x25519.pairs", 10_000_000);
    private static final int CHUNK = 1_000;

    @Test
    void randomPairs_100000_sameAsJdk() {
        run(PAIRS);
    }

    @Test
    @EnabledIfSystemProperty(named = X25519VectorsTest.LONG_RUN, matches = "true")
    void randomPairs_longRun_sameAsJdk() {
        run(LONG_PAIRS);
    }

    /** Random 32-byte scalars and u (any 256 bits: twist points, bit 255 set, rarely u >= p). */
    private static void run(int pairs) {
        long seed = Long.getLong("pssst.x25519.seed", new SecureRandom().nextLong());
        System.out.printf("X25519 differential: %,d random pairs, seed %d (-Dpssst.x25519.seed=%d replays it)%n",
                pairs, seed, seed);
        long start = System.nanoTime();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicLong zeros = new AtomicLong();
        IntStream.range(0, pairs / CHUNK).parallel().forEach(chunk -> {
            SplittableRandom random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * chunk);
            byte[] k = new byte[32], u = new byte[32], out = new byte[32];
            for (int i = 0; i < CHUNK && failures.size() < 10; i++) {
                random.nextBytes(k);
                random.nextBytes(u);
                X25519Builtin.x25519(out, k, u);
                byte[] jdk = JdkX25519.agree(k, u);
                zeros.addAndGet(jdk == null ? 1 : 0);
                String m = JdkX25519.mismatch("random", k, u, out, jdk);
                if (m != null) {
                    failures.add(m);
                }
            }
        });
        assertEquals(List.of(), failures, "seed " + seed);
        System.out.printf("X25519 differential: %,d pairs equal to the JDK's (%d all-zero), %.1f s%n", pairs,
                zeros.get(), (System.nanoTime() - start) / 1e9);
    }

    @Test
    void edgeScalarsTimesEdgePoints_ladderAndTables_sameAsJdk() {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (byte[] u : EdgeCases.points()) {
            FixedBase table = FixedBase.of(u).orElse(null);
            for (byte[] k : EdgeCases.scalars()) {
                byte[] jdk = JdkX25519.agree(k, u);
                add(failures, JdkX25519.mismatch("ladder", k, u, X25519Builtin.x25519(k, u), jdk));
                if (table != null) {
                    add(failures, JdkX25519.mismatch("table", k, u, table.multiply(k), jdk));
                }
                n++;
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + n + " pairs differ");
    }

    private static void add(List<String> failures, String m) {
        if (m != null) {
            failures.add(m);
        }
    }

    /** The comparison can fail: a wrong result, a zero the JDK did not refuse, a refusal missed. */
    @Test
    void mismatch_detectsWrongResults() {
        byte[] k = EdgeCases.scalar(5), u = Reference.le(BigInteger.valueOf(9));
        byte[] right = X25519Builtin.x25519(k, u);
        assertNull(JdkX25519.mismatch("right", k, u, right));
        byte[] wrong = right.clone();
        wrong[17] ^= 4;
        assertNotNull(JdkX25519.mismatch("one bit flipped", k, u, wrong));
        assertNotNull(JdkX25519.mismatch("all zero", k, u, new byte[32]));
        byte[] lowOrder = Reference.le(BigInteger.ONE);
        assertNull(JdkX25519.mismatch("refused and zero", k, lowOrder, new byte[32]));
        assertNotNull(JdkX25519.mismatch("refused but not zero", k, lowOrder, right));
    }
}
