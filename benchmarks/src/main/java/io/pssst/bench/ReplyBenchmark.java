package io.pssst.bench;

import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstServer;
import io.pssst.ReplyOpener;
import io.pssst.ReplySealer;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sealing and opening a reply, next to a bare JDK AES-128-GCM seal/open of the same message
 * size (anonymous transactions; the reply does not depend on client authentication).
 *
 * <p>A reply context is single-use, so each measured call works through {@value #BATCH}
 * fresh ones made by a {@code Level.Invocation} setup (kept out of the measured time; with
 * a batch, the timer's own cost is spread over {@value #BATCH} operations). The baselines
 * get the same treatment: {@value #BATCH} fresh keys and nonces per call, made either
 * alone ({@code aesGcmSeal}, {@code aesGcmOpen}) or with as many X25519 agreements between
 * items as the PSSST batch needs ({@code …AfterX25519}: 1 per reply context, 3 per reply).
 * The second kind is the like-for-like baseline: running X25519 between the items
 * measurably slows the AES-GCM calls that follow (docs/performance.md). Allocation figures
 * of this class include the setup's and mean nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ReplyBenchmark {
    static final int BATCH = 256;

    /** Message size; 100 in docs/performance.md (other sizes: {@code -p size=N}). */
    @Param({"100"})
    int size;

    /** Keys, and the message every reply carries. */
    @State(Scope.Thread)
    public static class Parties {
        PssstClient client;
        PssstServer server;
        ByteBuffer message;
        PrivateKey agreementPrivate;
        PublicKey agreementPublic;

        @Setup(Level.Trial)
        public void keys(ReplyBenchmark b) throws PssstException {
            Fixtures f = new Fixtures();
            client = PssstClient.anonymous(f.serverPublic);
            server = PssstServer.create(f.serverPrivate);
            message = Fixtures.heapMessage(b.size);
            agreementPrivate = f.clientPrivate;
            agreementPublic = f.serverPublic;
        }
    }

    /** {@value #BATCH} opened requests whose replies are still to be sealed. */
    @State(Scope.Thread)
    public static class ToSeal {
        final ReplySealer[] sealers = new ReplySealer[BATCH];
        final ByteBuffer out = ByteBuffer.allocate(Fixtures.BUFFER);
        private final ByteBuffer request = ByteBuffer.allocate(Fixtures.BUFFER);
        private final ByteBuffer plain = ByteBuffer.allocate(Fixtures.BUFFER);

        @Setup(Level.Invocation)
        public void fresh(Parties p) throws PssstException {
            // One request, opened BATCH times: each open is a new reply context (the server is
            // stateless; this is what a replayed request gets).
            p.client.pack(Fixtures.heapMessage(16), request.clear());
            request.flip();
            for (int i = 0; i < BATCH; i++) {
                sealers[i] = p.server.open(request.duplicate(), plain.clear());
            }
        }
    }

    /** {@value #BATCH} sealed replies, each waiting for its own client transaction to open it. */
    @State(Scope.Thread)
    public static class ToOpen {
        final ReplyOpener[] openers = new ReplyOpener[BATCH];
        final ByteBuffer[] replies = new ByteBuffer[BATCH];
        final ByteBuffer dst = ByteBuffer.allocate(Fixtures.BUFFER);
        private final ByteBuffer request = ByteBuffer.allocate(Fixtures.BUFFER);
        private final ByteBuffer plain = ByteBuffer.allocate(Fixtures.BUFFER);

        @Setup(Level.Invocation)
        public void fresh(Parties p) throws PssstException {
            for (int i = 0; i < BATCH; i++) {
                openers[i] = p.client.pack(Fixtures.heapMessage(16), request.clear());
                ReplySealer sealer = p.server.open(request.flip(), plain.clear());
                if (replies[i] == null) {
                    replies[i] = ByteBuffer.allocate(p.message.capacity() + 52);
                }
                sealer.seal(p.message.rewind(), replies[i].clear());
                replies[i].flip();
            }
        }
    }

    /** {@value #BATCH} fresh AES-128 keys and 96-bit nonces, and ciphertexts under them. */
    @State(Scope.Thread)
    public static class Gcm {
        final SplittableRandom random = new SplittableRandom(1);
        final byte[][] keys = new byte[BATCH][16];
        final byte[][] nonces = new byte[BATCH][12];
        final ByteBuffer[] sealed = new ByteBuffer[BATCH];
        final byte[] aad = {0, 0, 0, 1};
        final ByteBuffer out = ByteBuffer.allocate(Fixtures.BUFFER);
        Cipher reused;
        byte[] sink;

        @Setup(Level.Trial)
        public void cipher() throws GeneralSecurityException {
            reused = Cipher.getInstance("AES/GCM/NoPadding");
        }

        @Setup(Level.Invocation)
        public void fresh(Parties p) throws GeneralSecurityException {
            fill(p, 0);
        }

        /**
         * Makes the batch; with {@code agreements > 0} runs that many X25519 agreements after
         * each item, as the setup of {@link ToOpen} does (3 per item), so that caches and
         * predictors hold X25519's code and data rather than the batch's.
         */
        void fill(Parties p, int agreements) throws GeneralSecurityException {
            for (int i = 0; i < BATCH; i++) {
                for (int k = 0; k < agreements; k++) {
                    KeyAgreement ka = KeyAgreement.getInstance("X25519");
                    ka.init(p.agreementPrivate);
                    ka.doPhase(p.agreementPublic, true);
                    sink = ka.generateSecret();
                }
                random.nextBytes(keys[i]);
                random.nextBytes(nonces[i]);
                if (sealed[i] == null) {
                    sealed[i] = ByteBuffer.allocate(p.message.capacity() + 16);
                }
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[i], "AES"), new GCMParameterSpec(128, nonces[i]));
                c.updateAAD(aad);
                c.doFinal(p.message.rewind(), sealed[i].clear());
                sealed[i].flip();
            }
        }
    }

    /**
     * The {@link Gcm} batch made with one X25519 agreement after each item, as the reply
     * contexts of {@link ToSeal} are (one server open each): a baseline made like its target.
     */
    @State(Scope.Thread)
    public static class GcmAfterOneX25519 {
        final Gcm gcm = new Gcm();

        @Setup(Level.Invocation)
        public void fresh(Parties p) throws GeneralSecurityException {
            gcm.fill(p, 1);
        }
    }

    /**
     * The {@link Gcm} batch made with three X25519 agreements after each item, as the replies
     * of {@link ToOpen} are (2 to pack the request, 1 to open it).
     */
    @State(Scope.Thread)
    public static class GcmAfterThreeX25519 {
        final Gcm gcm = new Gcm();

        @Setup(Level.Invocation)
        public void fresh(Parties p) throws GeneralSecurityException {
            gcm.fill(p, 3);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void replySeal(Parties p, ToSeal s, Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            s.sealers[i].seal(p.message.rewind(), s.out.clear());
            bh.consume(s.out.position());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void replyOpen(ToOpen s, Blackhole bh) throws PssstException {
        for (int i = 0; i < BATCH; i++) {
            s.openers[i].open(s.replies[i], s.dst.clear());
            bh.consume(s.dst.position());
        }
    }

    /** Baseline: one AES-128-GCM seal through the JCA, as a one-shot user writes it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void aesGcmSeal(Parties p, Gcm g, Blackhole bh) throws GeneralSecurityException {
        seal(p, g, bh);
    }

    /** Baseline: the same seal, its batch made as {@code replySeal}'s is (see {@link GcmAfterOneX25519}). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void aesGcmSealAfterX25519(Parties p, GcmAfterOneX25519 g, Blackhole bh) throws GeneralSecurityException {
        seal(p, g.gcm, bh);
    }

    private static void seal(Parties p, Gcm g, Blackhole bh) throws GeneralSecurityException {
        for (int i = 0; i < BATCH; i++) {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(g.keys[i], "AES"), new GCMParameterSpec(128, g.nonces[i]));
            c.updateAAD(g.aad);
            c.doFinal(p.message.rewind(), g.out.clear());
            bh.consume(g.out.position());
        }
    }

    /** Baseline: one AES-128-GCM open (tag checked) through the JCA. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void aesGcmOpen(Gcm g, Blackhole bh) throws GeneralSecurityException {
        open(g, bh);
    }

    /** Baseline: the same open, its batch made as {@code replyOpen}'s is (see {@link GcmAfterThreeX25519}). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void aesGcmOpenAfterX25519(GcmAfterThreeX25519 g, Blackhole bh) throws GeneralSecurityException {
        open(g.gcm, bh);
    }

    private static void open(Gcm g, Blackhole bh) throws GeneralSecurityException {
        for (int i = 0; i < BATCH; i++) {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(g.keys[i], "AES"), new GCMParameterSpec(128, g.nonces[i]));
            c.updateAAD(g.aad);
            c.doFinal(g.sealed[i], g.out.clear());
            bh.consume(g.out.position());
        }
    }

    /** Diagnostic: the seal baseline without {@code Cipher.getInstance} (one Cipher, re-initialised). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void aesGcmSealReusedCipher(Parties p, Gcm g, Blackhole bh) throws GeneralSecurityException {
        for (int i = 0; i < BATCH; i++) {
            g.reused.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(g.keys[i], "AES"), new GCMParameterSpec(128, g.nonces[i]));
            g.reused.updateAAD(g.aad);
            g.reused.doFinal(p.message.rewind(), g.out.clear());
            bh.consume(g.out.position());
        }
    }
}
