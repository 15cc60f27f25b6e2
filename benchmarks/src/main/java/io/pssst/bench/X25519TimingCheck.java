package io.pssst.bench;

import io.pssst.internal.x25519.FixedBase;
import io.pssst.internal.x25519.X25519Builtin;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dudect-style statistical timing check of the built-in X25519 (Reparaz, Balasch,
 * Verbauwhede, "Dude, is my code constant time?", 2017): for each secret input, two classes of
 * values, a fixed one and fresh random ones, are fed in a random interleaving to the same
 * operation, each call timed with {@link System#nanoTime()}; Welch's t-test compares the two
 * classes' timings, on all samples and on the samples below several percentiles (cropping
 * removes preemption outliers, as dudect does). |t| above 4.5 is evidence that timing depends
 * on the class; dudect calls |t| &gt; 10 a definite leak.
 *
 * <p>Checked: the ladder's scalar and its u, the base-point table's scalar, a run-time table's scalar,
 * and a table's construction from its u (a shared secret CS gets a table). Every input lives
 * in its own array, fixed or random, so the classes differ only in value. A positive control,
 * {@link BigInteger#modPow} with a secret exponent (variable time by design), shows that the
 * method detects a leak on this machine.
 *
 * <p>Not a CI test: a measurement, run as
 * {@code BENCH_MAIN=io.pssst.bench.X25519TimingCheck benchmarks/run [samples]}
 * (default 100,000 per check, a tenth of that for table construction). See docs/x25519.md.
 */
public final class X25519TimingCheck {
    private static final double[] CROPS = {1.0, 0.99, 0.9, 0.75, 0.5};
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    private X25519TimingCheck() {
    }

    /** The operation under test, given one input. */
    private interface Op {
        void run(byte[] input);
    }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        SplittableRandom random = new SplittableRandom(args.length > 1 ? Long.parseLong(args[1]) : 2017);
        byte[] out = new byte[32];
        byte[] u = X25519Builtin.publicKey(randomBytes(random));
        FixedBase table = FixedBase.of(u).orElseThrow();
        byte[] low = new byte[32]; //  clamps to 2^254: one bit set
        byte[] ones = new byte[32]; // clamps to 2^255 - 8 ... every bit from 3 to 254 set
        Arrays.fill(ones, (byte) 0xff);

        System.out.printf("X25519 timing check (dudect-style Welch t-test), %s, %,d samples per check%n",
                System.getProperty("java.vm.version"), samples);
        System.out.printf("%-36s %-12s %10s %10s   t at crop %s%n", "operation", "fixed class", "mean fixed",
                "mean rand", Arrays.toString(CROPS));
        check("ladder X25519(k, u), k secret", "k = low", low, random, samples,
                k -> X25519Builtin.x25519(out, k, u));
        check("ladder X25519(k, u), k secret", "k = ones", ones, random, samples,
                k -> X25519Builtin.x25519(out, k, u));
        // A secret u as well: u = 9 keeps x_1 = (9, 0, 0, 0, 0) in every step, so one factor of
        // the product z_3 = x_1·(da - cb)^2 has four zero limbs (long and double) all along.
        byte[] scalarForU = randomBytes(random), nine = new byte[32];
        nine[0] = 9;
        check("ladder X25519(k, u), u secret", "u = 9", nine, random, samples, v -> X25519Builtin.x25519(out, scalarForU, v));
        check("base-point table X25519(k, 9)", "k = low", low, random, samples,
                k -> X25519Builtin.publicKey(out, k));
        check("base-point table X25519(k, 9)", "k = ones", ones, random, samples,
                k -> X25519Builtin.publicKey(out, k));
        check("run-time table X25519(k, S)", "k = low", low, random, samples, k -> table.multiply(out, k));
        check("run-time table X25519(k, S)", "k = ones", ones, random, samples, k -> table.multiply(out, k));
        // Table construction from a secret u (all u on the curve: only the arithmetic is compared).
        int builds = Math.max(1_000, samples / 10);
        check("table construction FixedBase.of(u)", "u = 9·k0", X25519Builtin.publicKey(low), random, builds,
                v -> FixedBase.of(v).orElseThrow().destroy(), () -> X25519Builtin.publicKey(randomBytes(random)));
        // Positive control: variable-time modular exponentiation with the same two classes of exponent.
        BigInteger base = BigInteger.valueOf(9);
        check("CONTROL BigInteger.modPow(9, k, p)", "k = low", low, random, samples,
                k -> base.modPow(new BigInteger(1, clampedBigEndian(k)), P));
        table.destroy();
    }

    private static void check(String name, String fixedName, byte[] fixed, SplittableRandom random, int samples, Op op) {
        check(name, fixedName, fixed, random, samples, op, () -> randomBytes(random));
    }

    private static void check(String name, String fixedName, byte[] fixed, SplittableRandom random, int samples, Op op,
            java.util.function.Supplier<byte[]> fresh) {
        boolean[] isFixed = new boolean[samples];
        byte[][] inputs = new byte[samples][];
        for (int i = 0; i < samples; i++) {
            isFixed[i] = random.nextBoolean();
            inputs[i] = isFixed[i] ? fixed.clone() : fresh.get();
        }
        for (int i = 0; i < Math.min(samples, 20_000); i++) { // warm-up: both classes, compiled code
            op.run(inputs[i]);
        }
        long[] times = new long[samples];
        for (int i = 0; i < samples; i++) {
            byte[] in = inputs[i];
            long start = System.nanoTime();
            op.run(in);
            times[i] = System.nanoTime() - start;
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        StringBuilder ts = new StringBuilder();
        double[] means = null;
        for (double crop : CROPS) {
            long limit = sorted[Math.min(samples - 1, (int) (crop * samples))];
            double[] r = welch(times, isFixed, limit);
            if (means == null) {
                means = r;
            }
            ts.append(String.format("%9.2f", r[2]));
        }
        System.out.printf("%-36s %-12s %8.2fus %8.2fus   %s%n", name, fixedName, means[0] / 1e3, means[1] / 1e3, ts);
    }

    /** {mean of the fixed class, mean of the random class, Welch's t} over samples up to {@code limit} ns. */
    private static double[] welch(long[] times, boolean[] isFixed, long limit) {
        double[] n = new double[2], sum = new double[2], sumSq = new double[2];
        for (int i = 0; i < times.length; i++) {
            if (times[i] <= limit) {
                int c = isFixed[i] ? 0 : 1;
                n[c]++;
                sum[c] += times[i];
                sumSq[c] += (double) times[i] * times[i];
            }
        }
        double m0 = sum[0] / n[0], m1 = sum[1] / n[1];
        double v0 = (sumSq[0] - n[0] * m0 * m0) / (n[0] - 1), v1 = (sumSq[1] - n[1] * m1 * m1) / (n[1] - 1);
        return new double[] {m0, m1, (m0 - m1) / Math.sqrt(v0 / n[0] + v1 / n[1])};
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    /** The clamped scalar (RFC 7748) as big-endian bytes, for the control. */
    private static byte[] clampedBigEndian(byte[] k) {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = k[31 - i];
        }
        be[31] &= (byte) 248;
        be[0] &= 127;
        be[0] |= 64;
        return be;
    }
}
