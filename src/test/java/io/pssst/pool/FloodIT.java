package io.pssst.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.PssstClient;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.channel.PssstTimeoutException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10, item 2: a flood against {@code pssst serve --rate-limit 500}. One source
 * (127.0.0.2) sends 1,000,000 well-formed requests with bad tags as fast as it can — a valid
 * header, a real curve point as {@code dh_param} (each a fresh client's), garbage for the
 * ciphertext: every one that reaches the cryptography costs the server an X25519 before its
 * tag fails — while valid clients on another source (127.0.0.1) make calls with the default
 * retry policy. The limiter drops the flood before any X25519, so the valid clients are
 * served (at least 99% within the retry policy), the server's live heap after a GC stays
 * within 16 MB of where it started, nothing is answered to the flood, and the server's
 * statistics show the rate-limited datagrams. The figures are printed.
 *
 * <p>Linux (127.0.0.2 is a loopback address there, not on macOS: skipped with a message).
 * The live heap is read from outside with the JDK's {@code jcmd} ({@code GC.run}, then
 * {@code GC.heap_info}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FloodIT {
    private static final String FLOODER = "127.0.0.2";
    private static final String CLIENTS = "127.0.0.1";
    private static final long FLOOD = 1_000_000;
    private static final int RATE_LIMIT = 500;
    /** Valid clients: threads, each one call at a time, at most one call every 20 ms: at most 200 a second, under the limit. */
    private static final int CLIENT_THREADS = 4;
    private static final long CLIENT_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long HEAP_SLACK = 16L << 20;
    private static final Duration FLOOD_DEADLINE = Duration.ofSeconds(90);
    /**
     * A heap space's line in {@code jcmd GC.heap_info}: "total 397312K, used 17618K" up to
     * Java 24, G1's "total reserved 6172672K, committed 393216K, used 10682K" from Java 25.
     */
    private static final Pattern USED = Pattern.compile("(?:total|committed) \\d+K, used (\\d+)K");

    @Test
    void flood_fromOneSource_rateLimitedBeforeX25519_validClientsServed_heapFlat_nothingReflected() throws Exception {
        assumeTrue(PoolServer.canBind(FLOODER), FLOODER + " is not a local address here (macOS has only 127.0.0.1):"
                + " the flood test needs a second loopback source");
        PssstJar pssst = PssstJar.forTest("flood");
        Path key = pssst.keygen("server.key");
        XECPublicKey serverKey = PssstJar.publicKey(Path.of(key + ".pub"));
        try (PoolServer server = PoolServer.tryStart(pssst, "target", CLIENTS + ":0", key,
                "--rate-limit", Integer.toString(RATE_LIMIT))) {
            assertNotNull(server, "serve could not listen on " + CLIENTS + ":0");
            Clients warmUp = new Clients(serverKey, server.address);
            warmUp.runUntil(new AtomicBoolean(false), 100); // the JIT (X25519 above all), the pools, the first GCs
            assertEquals(0, warmUp.failed(), warmUp::summary);
            long heapBefore = liveHeap(pssst, server);

            Clients clients = new Clients(serverKey, server.address);
            AtomicBoolean flooding = new AtomicBoolean(true);
            Duration cpuBefore = cpu(server);
            long floodStart = System.nanoTime();
            CompletableFuture<Flood> flood = new CompletableFuture<>();
            Thread flooder = new Thread(() -> {
                try {
                    flood.complete(Flood.run(serverKey, server.address));
                } catch (Throwable e) {
                    flood.completeExceptionally(e);
                } finally {
                    flooding.set(false);
                }
            }, "flooder");
            flooder.start();
            clients.runUntil(flooding, 50);
            Flood f = flood.get(FLOOD_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
            double floodWall = (System.nanoTime() - floodStart) / 1e9;
            double serverCpu = (cpu(server).toNanos() - cpuBefore.toNanos()) / 1e9;
            String share = String.format(Locale.ROOT, "the server had %.1f s of CPU in the %.1f s of the flood and its"
                    + " valid clients (%.0f%% of a core); system load average %s", serverCpu, floodWall,
                    100 * serverCpu / floodWall, loadAverage());

            long heapAfter = liveHeap(pssst, server);
            Thread.sleep(500); // a reply to the flood, were there one, would be on its way by now
            ByteBuffer reflected = ByteBuffer.allocate(2048);
            SocketAddress answer = f.socket.receive(reflected);
            f.socket.close();
            PoolServer.Stats stats = server.stop();
            double seconds = (System.nanoTime() - floodStart) / 1e9;
            long limited = refused(stats.refused(), "rate-limited");
            long decryptFailed = refused(stats.refused(), "decrypt-failed");

            System.out.printf(Locale.ROOT, "FloodIT: serve --rate-limit %d, flood from %s, valid clients from %s%n"
                    + "  flood: %,d well-formed requests with bad tags in %.1f s: %,.0f a second; %,d reached the"
                    + " server (%,d rate-limited, %,d cost an X25519 and failed their tag), %,d dropped by the kernel%n"
                    + "  valid: %s%n"
                    + "  %s%n"
                    + "  server live heap after a GC: %,d KB before, %,d KB after (%+,d KB)%n"
                    + "  server on SIGTERM: %d requests, %d replies, refused %s%n",
                    RATE_LIMIT, FLOODER, CLIENTS, f.sent, f.seconds, f.sent / f.seconds, limited + decryptFailed, limited,
                    decryptFailed, f.sent - limited - decryptFailed, clients.summary(), share, heapBefore >> 10,
                    heapAfter >> 10, (heapAfter - heapBefore) >> 10, stats.requests(), stats.replies(), stats.refused());

            assertEquals(FLOOD, f.sent, "the flooder did not finish");
            assertNull(answer, () -> "the server answered the flood: " + reflected.flip().remaining() + " bytes");
            assertTrue(clients.calls() >= CLIENT_THREADS * 50L, clients::summary);
            assertTrue(clients.succeeded() >= 0.99 * clients.calls(), () -> "valid clients starved: " + clients.summary()
                    + "; " + share);
            assertTrue(heapAfter - heapBefore <= HEAP_SLACK, () -> "the server's live heap grew by "
                    + ((heapAfter - heapBefore) >> 10) + " KB during the flood");
            assertTrue(limited > 0, () -> "nothing rate-limited: " + stats);
            assertTrue(limited + decryptFailed <= FLOOD, () -> "more refused than the flood sent: " + stats);
            assertEquals(stats.refused().split(", ").length, (limited > 0 ? 1 : 0) + (decryptFailed > 0 ? 1 : 0),
                    () -> "refused for another reason than the flood's: " + stats);
            // The limit itself: the flooder's bucket lets 500 a second through, plus its burst.
            assertTrue(decryptFailed <= RATE_LIMIT * (seconds + 2), () -> decryptFailed + " flood datagrams reached"
                    + " the X25519 in " + seconds + " s: more than the limit lets through");
            assertEquals(stats.requests(), stats.replies(), stats::toString);
            assertTrue(stats.requests() >= warmUp.succeeded() + clients.succeeded(), stats::toString);
        }
    }

    /** The CPU time the server's JVM has used so far. */
    private static Duration cpu(PoolServer server) {
        return ProcessHandle.of(server.pid()).flatMap(h -> h.info().totalCpuDuration())
                .orElseThrow(() -> new AssertionError("no CPU time for the server's process"));
    }

    /** The system's load average over the last minute, where the system says ({@code /proc/loadavg}). */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + " on "
                    + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The count of {@code reason} in serve's "refused: a 1, b 2" list, 0 if absent. */
    private static long refused(String list, String reason) {
        Matcher m = Pattern.compile("(?:^|, )" + Pattern.quote(reason) + " (\\d+)").matcher(list);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * The server JVM's live heap: {@code jcmd PID GC.run} (a full collection), then the
     * bytes used by the heap's spaces per {@code jcmd PID GC.heap_info} (G1's one heap, or the
     * serial and parallel collectors' generations).
     */
    private static long liveHeap(PssstJar pssst, PoolServer server) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String pid = Long.toString(server.pid());
        jcmd(pssst, jcmd, pid, "GC.run");
        String info = jcmd(pssst, jcmd, pid, "GC.heap_info");
        Matcher m = USED.matcher(info);
        long kb = 0;
        boolean found = false;
        while (m.find()) {
            kb += Long.parseLong(m.group(1));
            found = true;
        }
        assertTrue(found, () -> "no heap figures in jcmd GC.heap_info:\n" + info);
        return kb << 10;
    }

    private static String jcmd(PssstJar pssst, String jcmd, String pid, String command)
            throws IOException, InterruptedException {
        try (PoolProcess p = PoolProcess.start("jcmd-" + command, pssst.dir(), Duration.ofSeconds(60),
                List.of(jcmd, pid, command))) {
            int status = p.waitFor(Duration.ofSeconds(50));
            assertEquals(0, status, () -> "jcmd " + pid + " " + command + " failed:\n" + p.output());
            return p.output();
        }
    }

    /**
     * The flood: 256 distinct well-formed requests with bad tags (a fresh client's real
     * request, its ciphertext and tag replaced by random bytes), sent round-robin as fast as
     * one thread can from {@link #FLOODER}. Its socket is kept open, non-blocking, to see
     * whether anything comes back.
     */
    private static final class Flood {
        final long sent;
        final double seconds;
        final DatagramChannel socket;

        private Flood(long sent, double seconds, DatagramChannel socket) {
            this.sent = sent;
            this.seconds = seconds;
            this.socket = socket;
        }

        static Flood run(XECPublicKey serverKey, InetSocketAddress target) throws Exception {
            SplittableRandom random = new SplittableRandom(10);
            ByteBuffer[] datagrams = new ByteBuffer[256];
            for (int i = 0; i < datagrams.length; i++) {
                byte[] d = PssstClient.anonymous(serverKey).pack(new byte[48]).datagram();
                for (int j = 36; j < d.length; j++) { // after the header and dh_param: garbage
                    d[j] = (byte) random.nextInt(256);
                }
                datagrams[i] = ByteBuffer.allocateDirect(d.length).put(d).flip();
            }
            DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(FLOODER, 0));
            try {
                long deadline = System.nanoTime() + FLOOD_DEADLINE.toNanos();
                long start = System.nanoTime();
                long sent = 0;
                while (sent < FLOOD && (sent % 4096 != 0 || System.nanoTime() < deadline)) {
                    ch.send(datagrams[(int) (sent & 255)].rewind(), target);
                    sent++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                ch.configureBlocking(false);
                return new Flood(sent, seconds, ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
    }

    /** Valid clients: threads making calls, each on its own client channel with the default retry policy. */
    private static final class Clients {
        private final XECPublicKey serverKey;
        private final InetSocketAddress target;
        private final List<Long> latencies = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private long calls;

        Clients(XECPublicKey serverKey, InetSocketAddress target) {
            this.serverKey = serverKey;
            this.target = target;
        }

        /** Each thread calls while {@code going}, and at least {@code atLeast} times; bounded by the flood's deadline. */
        void runUntil(AtomicBoolean going, int atLeast) throws Exception {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            for (int t = 0; t < CLIENT_THREADS; t++) {
                int thread = t;
                Thread th = new Thread(() -> {
                    try {
                        calls(thread, going, atLeast);
                    } catch (Throwable e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                }, "valid-client-" + t);
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join(FLOOD_DEADLINE.toMillis() + 30_000);
                assertTrue(!th.isAlive(), th.getName() + " did not finish");
            }
            if (!errors.isEmpty()) {
                throw new AssertionError("a valid client failed: " + errors.get(0), errors.get(0));
            }
        }

        private void calls(int thread, AtomicBoolean going, int atLeast) throws Exception {
            PssstRetryPolicy retry = PssstRetryPolicy.defaults();
            long deadline = System.nanoTime() + FLOOD_DEADLINE.toNanos();
            try (PssstClientChannel ch = PssstClientChannel.builder(serverKey).open()) {
                ch.bind(new InetSocketAddress(CLIENTS, 0));
                for (int i = 0; (going.get() || i < atLeast) && System.nanoTime() < deadline; i++) {
                    String message = "valid " + thread + "/" + i;
                    long t0 = System.nanoTime();
                    String failure = null;
                    try {
                        ByteBuffer reply = ch.call(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), target,
                                retry.totalTimeout());
                        String got = StandardCharsets.UTF_8.decode(reply).toString();
                        if (!got.equals("target: " + message)) {
                            failure = "wrong reply to " + message + ": " + got;
                        }
                    } catch (PssstTimeoutException e) {
                        failure = "no reply to " + message + " after " + e.attempts() + " attempts";
                    }
                    long t1 = System.nanoTime();
                    record(t1 - t0, failure);
                    long pause = CLIENT_PERIOD_NANOS - (t1 - t0);
                    if (pause > 0) {
                        TimeUnit.NANOSECONDS.sleep(pause);
                    }
                }
            }
        }

        private synchronized void record(long nanos, String failure) {
            calls++;
            if (failure == null) {
                latencies.add(nanos);
            } else {
                failures.add(failure);
            }
        }

        synchronized long calls() {
            return calls;
        }

        synchronized long succeeded() {
            return latencies.size();
        }

        synchronized long failed() {
            return failures.size();
        }

        synchronized String summary() {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            String lat = sorted.length == 0 ? "no latencies" : String.format(Locale.ROOT,
                    "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(sorted, 50) / 1e6,
                    percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
            return String.format(Locale.ROOT, "%d of %d calls answered (%.2f%%) by %d clients, %s%s", sorted.length,
                    calls, calls == 0 ? 0 : 100.0 * sorted.length / calls, CLIENT_THREADS, lat,
                    failures.isEmpty() ? "" : "; failures: " + failures.subList(0, Math.min(5, failures.size())));
        }

        private static long percentile(long[] sorted, int p) {
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1)];
        }
    }
}
