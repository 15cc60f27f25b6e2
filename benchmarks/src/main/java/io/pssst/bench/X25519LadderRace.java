package io.pssst.bench;

import io.pssst.internal.x25519.ArrayLadder;
import io.pssst.internal.x25519.X25519Builtin;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The ladder's speed, old against new against the JDK, <b>interleaved</b>: batches of 20 calls
 * of each contender in turn, so that all of them see the same load on a shared machine
 * (JMH runs benchmarks one after the other, and the load of other jobs changes in between).
 * Prints, per contender, the 1st, 10th and 50th percentile of the time per call over all
 * batches. A measurement, not a test:
 * {@code BENCH_MAIN=io.pssst.bench.X25519LadderRace benchmarks/run [batches]} (default 3,000).
 * See docs/x25519.md, "Measured costs".
 */
public final class X25519LadderRace {
    private static final int BATCH = 20;

    private X25519LadderRace() {
    }

    private interface Contender {
        void run(byte[] out, byte[] k, byte[] u) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        SplittableRandom random = new SplittableRandom(7748);
        byte[] k = new byte[32], wk = new byte[32], wu = new byte[32], a = new byte[32], b = new byte[32];
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("X25519");
        PrivateKey jdkPrivate = g.generateKeyPair().getPrivate();
        PublicKey jdkPublic = g.generateKeyPair().getPublic();
        byte[] u = io.pssst.PssstKeys.toRaw((XECPublicKey) jdkPublic);
        random.nextBytes(k);
        String[] names = {"JDK KeyAgreement", "built-in ladder, before", "built-in ladder"};
        Contender[] contenders = {
            (out, s, p) -> Fixtures.jdkAgreement(jdkPrivate, jdkPublic),
            (out, s, p) -> ArrayLadder.x25519(out, s, p),
            (out, s, p) -> X25519Builtin.x25519(out, s, p),
        };
        for (int i = 0; i < 2_000; i++) { // warm-up, and the two built-in ladders agree
            contenders[0].run(a, wk, wu);
            random.nextBytes(wk);
            random.nextBytes(wu);
            ArrayLadder.x25519(a, wk, wu);
            X25519Builtin.x25519(b, wk, wu);
            if (!Arrays.equals(a, b)) {
                throw new IllegalStateException("the ladders disagree");
            }
        }
        long[][] times = new long[contenders.length][batches];
        byte[] out = new byte[32];
        for (int j = 0; j < batches; j++) {
            for (int c = 0; c < contenders.length; c++) {
                long start = System.nanoTime();
                for (int i = 0; i < BATCH; i++) {
                    contenders[c].run(out, k, u);
                }
                times[c][j] = System.nanoTime() - start;
            }
        }
        System.out.printf("X25519 ladder race, %s, %,d batches of %d calls each, interleaved%n",
                System.getProperty("java.vm.version"), batches, BATCH);
        System.out.printf("%-26s %9s %9s %9s  (us per call)%n", "contender", "p1", "p10", "p50");
        for (int c = 0; c < contenders.length; c++) {
            long[] t = times[c];
            Arrays.sort(t);
            System.out.printf("%-26s %9.1f %9.1f %9.1f%n", names[c], t[batches / 100] / (BATCH * 1e3),
                    t[batches / 10] / (BATCH * 1e3), t[batches / 2] / (BATCH * 1e3));
        }
    }
}
