package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.channel.PssstChannelStats.DropReason;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server channel's defences: the per-source rate limit (before any X25519, every datagram
 * counted, per address or prefix, on a fake clock, allocation-free) and the amplification
 * bound on replies (k times the request's datagram; refused loudly, counted, context wiped).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FloodDefencesTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(5 * SECOND);
    private final PssstClient engine = PssstClient.anonymous(Loopback.serverPublic());

    FloodDefencesTest() throws Exception {
    }

    private PssstServerChannel server(PssstServerChannel.Builder b) throws IOException {
        PssstServerChannel s = b.clock(now::get).open();
        s.bind(any("127.0.0.1"));
        s.configureBlocking(false);
        return s;
    }

    private static PssstServerChannel.Builder builder() throws Exception {
        return PssstServerChannel.builder(Loopback.serverPrivate());
    }

    /** A well-formed request whose tag fails: the server finds out only after its X25519. */
    private byte[] badTag(String message) throws Exception {
        byte[] d = engine.pack(utf8(message).array()).datagram();
        d[d.length - 1] ^= 1;
        return d;
    }

    private static DatagramChannel wire(String host) throws IOException {
        return DatagramChannel.open().bind(new InetSocketAddress(host, 0));
    }

    /** Receives (non-blocking) until {@code datagrams} have been read in all; returns the requests delivered. */
    private static int drain(PssstServerChannel server, long datagrams) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(70_000);
        int delivered = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (server.receive(dst.clear()) != null) {
                delivered++;
            } else if (server.stats().datagramsReceived() >= datagrams) {
                return delivered;
            } else {
                assertTrue(System.nanoTime() < end, () -> "datagrams did not arrive: " + server.stats());
                Thread.sleep(1);
            }
        }
    }

    // ---- rate limit -------------------------------------------------------------------------

    @Test
    void rateLimit_offByDefault_everyDatagramExamined() throws Exception {
        try (PssstServerChannel server = server(builder()); DatagramChannel flooder = wire("127.0.0.1")) {
            for (int i = 0; i < 50; i++) {
                flooder.send(ByteBuffer.wrap(badTag("x" + i)), server.getLocalAddress());
            }
            drain(server, 50);
            assertEquals(50, server.stats().dropped(DropReason.DECRYPT_FAILED), server.stats()::toString);
            assertEquals(0, server.stats().dropped(DropReason.RATE_LIMITED));
        }
    }

    /**
     * Five a second: a burst of five, then nothing until the clock moves. Every datagram
     * counts, valid or not; the limited ones are dropped before X25519 (their bad tags are
     * never found out: RATE_LIMITED, not DECRYPT_FAILED), and a valid request over the limit
     * is dropped too. A second later five more pass.
     */
    @Test
    void rateLimit_burstThenRate_everyDatagramCounts_beforeAnyX25519() throws Exception {
        try (PssstServerChannel server = server(builder().rateLimit(5)); DatagramChannel source = wire("127.0.0.1")) {
            SocketAddress to = server.getLocalAddress();
            for (int i = 0; i < 8; i++) {
                source.send(ByteBuffer.wrap(badTag("bad" + i)), to);
            }
            source.send(ByteBuffer.wrap(engine.pack(utf8("valid").array()).datagram()), to);
            source.send(ByteBuffer.wrap(new byte[3]), to); // garbage counts too
            assertEquals(0, drain(server, 10));
            PssstChannelStats s = server.stats();
            assertEquals(5, s.dropped(DropReason.DECRYPT_FAILED), s::toString);
            assertEquals(5, s.dropped(DropReason.RATE_LIMITED), s::toString);

            now.addAndGet(SECOND); // the bucket refills: five more
            for (int i = 0; i < 6; i++) {
                source.send(ByteBuffer.wrap(engine.pack(utf8("valid" + i).array()).datagram()), to);
            }
            assertEquals(5, drain(server, 16));
            assertEquals(6, server.stats().dropped(DropReason.RATE_LIMITED));
            assertEquals(5, server.stats().requestsAccepted());
        }
    }

    /** Each address has its own bucket; with a prefix, a subnet shares one. */
    @Test
    void rateLimit_perAddress_orPerPrefix() throws Exception {
        assumeTrue(canBind("127.0.0.2"), "127.0.0.2 is not a local address here (not Linux?)");
        for (int prefix : new int[] {32, 8}) {
            try (PssstServerChannel server = server(builder().rateLimit(3).rateLimitPrefixes(prefix, 128));
                    DatagramChannel one = wire("127.0.0.1"); DatagramChannel two = wire("127.0.0.2")) {
                for (int i = 0; i < 4; i++) {
                    one.send(ByteBuffer.wrap(engine.pack(utf8("one").array()).datagram()), server.getLocalAddress());
                }
                drain(server, 4);
                for (int i = 0; i < 4; i++) {
                    two.send(ByteBuffer.wrap(engine.pack(utf8("two").array()).datagram()), server.getLocalAddress());
                }
                drain(server, 8);
                PssstChannelStats s = server.stats();
                assertEquals(prefix == 32 ? 6 : 3, s.requestsAccepted(), () -> "/" + prefix + ": " + s);
                assertEquals(prefix == 32 ? 2 : 5, s.dropped(DropReason.RATE_LIMITED), () -> "/" + prefix + ": " + s);
            }
        }
    }

    /**
     * A flood from one source that the limit drops costs the channel no allocation: the
     * receive path (the JDK's read included, which reuses the sender's address object) stays
     * allocation-free per datagram.
     */
    @Test
    void rateLimitedDrops_allocateNothingPerDatagram() throws Exception {
        double perDatagram = allocationPerDropInAFreshJvm("rate-limited");
        assertTrue(perDatagram < 2, () -> perDatagram + " bytes allocated per rate-limited datagram");
    }

    /** The same without a limit, for garbage the header check drops (the source check included). */
    @Test
    void malformedDrops_allocateNothingPerDatagram() throws Exception {
        double perDatagram = allocationPerDropInAFreshJvm("malformed");
        assertTrue(perDatagram < 2, () -> perDatagram + " bytes allocated per malformed datagram");
    }

    /**
     * Runs {@link #main} in a JVM of its own, without the test JVM's Mockito agent: once a test
     * has mocked {@code DatagramChannel} (InnerChannelFaultTest), the agent's hooks in the JDK's
     * channel classes allocate on every call of theirs (about 245 bytes a datagram on Java 25),
     * which would be measured here as the channel's.
     */
    private static double allocationPerDropInAFreshJvm(String kind) throws Exception {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(launcher, "-Xshare:off", "-cp", System.getProperty("java.class.path"),
                FloodDefencesTest.class.getName(), kind).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8); // ends when the child does
        }
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), "the measuring JVM did not exit");
        System.out.print(out);
        Matcher m = Pattern.compile("per-datagram=([0-9.]+)").matcher(out);
        assertTrue(p.exitValue() == 0 && m.find(), () -> "the measuring JVM failed (" + p.exitValue() + "):\n" + out);
        return Double.parseDouble(m.group(1));
    }

    /** The measuring JVM: {@code rate-limited} or {@code malformed}; prints {@code per-datagram=BYTES}. */
    public static void main(String[] args) throws Exception {
        FloodDefencesTest t = new FloodDefencesTest();
        double perDatagram = args[0].equals("rate-limited")
                ? t.allocationPerDrop(builder().rateLimit(1), t.badTag("flood"), DropReason.RATE_LIMITED)
                : t.allocationPerDrop(builder(), new byte[20], DropReason.MALFORMED);
        System.out.println("per-datagram=" + perDatagram);
    }

    /**
     * Bytes the receiving thread allocates per datagram dropped for {@code reason} (all but
     * the first), over 10,000 datagrams after 10,000 of warm-up. Reading the thread's counter
     * boxes a Long twice a round of 100: about half a byte per datagram of the figure.
     */
    private double allocationPerDrop(PssstServerChannel.Builder b, byte[] payload, DropReason reason) throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated;
        try {
            allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        } catch (ClassNotFoundException e) {
            assumeTrue(false, "no com.sun.management.ThreadMXBean");
            return 0;
        }
        long thread = Thread.currentThread().getId();
        try (PssstServerChannel server = server(b); DatagramChannel flooder = wire("127.0.0.1")) {
            SocketAddress to = server.getLocalAddress();
            ByteBuffer datagram = ByteBuffer.allocateDirect(payload.length).put(payload).flip();
            ByteBuffer dst = ByteBuffer.allocateDirect(1000);
            long measured = 0;
            long bytes = 0;
            for (int round = 0; round < 200; round++) {
                long base = server.stats().datagramsReceived();
                for (int i = 0; i < 100; i++) {
                    flooder.send(datagram.rewind(), to);
                }
                // On loopback a send queues the datagram at the receiver before it returns: all
                // 100 are there (unless the socket's buffer overflowed), and three non-blocking
                // receives of at most 64 each read them all. Only the receives are measured.
                long before = (Long) allocated.invoke(mx, thread);
                SocketAddress r1 = server.receive(dst.clear());
                SocketAddress r2 = server.receive(dst.clear());
                SocketAddress r3 = server.receive(dst.clear());
                long after = (Long) allocated.invoke(mx, thread);
                assertNull(r1 != null ? r1 : r2 != null ? r2 : r3);
                if (round >= 100) { // the first half warms up the JIT
                    measured += server.stats().datagramsReceived() - base;
                    bytes += after - before;
                }
            }
            PssstChannelStats s = server.stats();
            assertEquals(s.datagramsReceived() - (reason == DropReason.RATE_LIMITED ? 1 : 0), s.dropped(reason),
                    s::toString);
            long n = measured;
            assertTrue(n >= 5_000, () -> "too few datagrams arrived: " + n + ", " + s);
            double perDatagram = (double) bytes / measured;
            System.out.printf("%s drops: %d datagrams, %.3f bytes allocated per datagram%n", reason, measured,
                    perDatagram);
            return perDatagram;
        }
    }

    @Test
    void builder_checksItsArguments() throws Exception {
        PssstServerChannel.Builder b = builder();
        assertThrows(IllegalArgumentException.class, () -> b.rateLimit(-1));
        assertThrows(IllegalArgumentException.class, () -> b.rateLimit(10_000_001));
        assertThrows(IllegalArgumentException.class, () -> b.rateLimitPrefixes(0, 128));
        assertThrows(IllegalArgumentException.class, () -> b.rateLimitPrefixes(33, 128));
        assertThrows(IllegalArgumentException.class, () -> b.rateLimitPrefixes(32, 129));
        assertThrows(IllegalArgumentException.class, () -> b.rateLimitSources(0));
        assertThrows(IllegalArgumentException.class, () -> b.rateLimitSources((1 << 24) + 1));
        assertThrows(IllegalArgumentException.class, () -> b.maxAmplification(-1));
        b.rateLimit(0).rateLimit(10_000_000).rateLimitPrefixes(1, 1).rateLimitSources(1).maxAmplification(0);
    }

    // ---- amplification bound -------------------------------------------------------------------

    /** A request of {@code size} message bytes sent from {@code wire}, received by the server. */
    private PackedRequest request(PssstServerChannel server, DatagramChannel wire, int size) throws Exception {
        PackedRequest r = engine.pack(new byte[size]);
        wire.send(ByteBuffer.wrap(r.datagram()), server.getLocalAddress());
        return r;
    }

    private static SocketAddress receive(PssstServerChannel server) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(70_000);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        SocketAddress from;
        while ((from = server.receive(dst)) == null) {
            assertTrue(System.nanoTime() < end, "request did not arrive");
            Thread.sleep(1);
        }
        return from;
    }

    private static byte[] replyOn(DatagramChannel wire) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(70_000);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (wire.receive(b) == null) {
            assertTrue(System.nanoTime() < end, "reply did not arrive");
            Thread.sleep(1);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Default k = 3: a 10-byte request is a 62-byte datagram, so a reply datagram may have
     * 186 bytes (a 134-byte message). One byte more is refused with the figures, nothing is
     * sent, {@code src} is untouched, the context is gone and the refusal counted.
     */
    @Test
    void defaultBound_threeTimesTheRequestDatagram_overIsRefusedLoudly() throws Exception {
        try (PssstServerChannel server = server(builder()); DatagramChannel wire = wire("127.0.0.1")) {
            wire.configureBlocking(false);
            PackedRequest fits = request(server, wire, 10);
            SocketAddress from = receive(server);
            server.send(ByteBuffer.allocate(134), from);
            assertEquals(134, fits.openReply(replyOn(wire)).length);

            request(server, wire, 10);
            receive(server);
            ByteBuffer tooLarge = ByteBuffer.allocate(135);
            PssstAmplificationException e = assertThrows(PssstAmplificationException.class,
                    () -> server.send(tooLarge, from));
            assertEquals(187, e.replyLength());
            assertEquals(62, e.requestLength());
            assertEquals(3, e.maxAmplification());
            assertTrue(e.getMessage().contains("187") && e.getMessage().contains("62"), e::getMessage);
            assertEquals(0, tooLarge.position(), "src untouched");
            assertEquals(0, server.pendingReplies(), "the context is wiped");
            assertThrows(PssstNoPendingRequestException.class, () -> server.send(ByteBuffer.allocate(1), from));
            assertEquals(1, server.stats().repliesRefusedAmplification());
            assertEquals(1, server.stats().repliesSent());

            // nothing was sent for it: the next datagram on the wire is the next reply
            PackedRequest next = request(server, wire, 0);
            server.send(utf8("ok"), receive(server));
            assertArrayEquals(utf8("ok").array(), next.openReply(replyOn(wire)));
            assertEquals(2, server.stats().datagramsSent());
        }
    }

    @Test
    void explicitReply_overTheBound_refused_handleUsedUp() throws Exception {
        try (PssstServerChannel server = server(builder().maxAmplification(1)); DatagramChannel wire = wire("127.0.0.1")) {
            request(server, wire, 20);
            PssstPendingRequest pending = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pending == null) {
                pending = server.receiveRequest(ByteBuffer.allocate(100));
                assertTrue(System.nanoTime() < end, "request did not arrive");
            }
            PssstPendingRequest p = pending;
            PssstAmplificationException e = assertThrows(PssstAmplificationException.class,
                    () -> p.reply(ByteBuffer.allocate(21)));
            assertEquals(73, e.replyLength());
            assertEquals(72, e.requestLength());
            assertThrows(PssstNoPendingRequestException.class, () -> p.reply(ByteBuffer.allocate(20)));
            assertEquals(1, server.stats().repliesRefusedAmplification());
        }
    }

    /**
     * A client that expects a 1,000-byte reply pads its request to 300 bytes (a 352-byte
     * datagram: three times that is 1,056); or the server raises k (25 x 52 = 1,300), or
     * switches the bound off.
     */
    @Test
    void paddedRequest_raisedBound_orNoBound_letLargeRepliesThrough() throws Exception {
        int reply = 1000;
        Object[][] cases = {{builder(), 300}, {builder().maxAmplification(25), 0}, {builder().maxAmplification(0), 0}};
        for (Object[] c : cases) {
            try (PssstServerChannel server = server((PssstServerChannel.Builder) c[0]);
                    DatagramChannel wire = wire("127.0.0.1")) {
                wire.configureBlocking(false);
                PackedRequest r = request(server, wire, (Integer) c[1]);
                server.send(ByteBuffer.allocate(reply), receive(server));
                assertEquals(reply, r.openReply(replyOn(wire)).length);
                assertEquals(0, server.stats().repliesRefusedAmplification());
            }
        }
    }

    private static boolean canBind(String host) {
        try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(host, 0))) {
            return ch.getLocalAddress() != null;
        } catch (IOException e) {
            return false;
        }
    }

}
