package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.string;
import static io.pssst.channel.Loopback.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.internal.channel.ReceiveLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Faults injected into the inner channel (Mockito) and closes/interrupts during blocking I/O. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InnerChannelFaultTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);

    private static DatagramChannel mockInner() {
        DatagramChannel inner = mock(DatagramChannel.class);
        when(inner.isOpen()).thenReturn(true);
        when(inner.isBlocking()).thenReturn(true);
        return inner;
    }

    @Test
    void clientSend_innerThrows_errorPropagatesNothingConsumedChannelUsable() throws Exception {
        DatagramChannel inner = mockInner();
        when(inner.send(any(), any())).thenThrow(new IOException("network is down")).thenAnswer(sendAll());
        try (PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic()).wrap(inner)) {
            ByteBuffer src = utf8("hello");
            IOException e = assertThrows(IOException.class, () -> client.send(src, PEER));
            assertEquals("network is down", e.getMessage());
            assertEquals(0, src.position());
            assertEquals(0, client.outstandingRequests());
            assertEquals(5, client.send(src, PEER));
            assertEquals(1, client.outstandingRequests());
        }
    }

    @Test
    void callAsync_innerSendThrows_futureFailsWithItNothingOutstandingChannelUsable() throws Exception {
        DatagramChannel inner = mockInner();
        when(inner.isBlocking()).thenReturn(false);
        when(inner.send(any(), any())).thenThrow(new IOException("network is down")).thenAnswer(sendAll());
        try (PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic()).wrap(inner)) {
            CompletableFuture<ByteBuffer> f = client.callAsync(utf8("hello"), PEER);
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertEquals("network is down", e.getCause().getMessage());
            assertEquals(0, client.outstandingRequests());
            assertTrue(client.isOpen());
            assertEquals(5, client.send(utf8("hello"), PEER));
        }
    }

    @Test
    void clientSend_zeroBytes_returnsZeroNothingConsumedNothingOutstanding() throws Exception {
        DatagramChannel inner = mockInner();
        when(inner.send(any(), any())).thenReturn(0);
        try (PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic()).wrap(inner)) {
            ByteBuffer src = utf8("hello");
            assertEquals(0, client.send(src, PEER));
            assertEquals(0, src.position());
            assertEquals(0, client.outstandingRequests());
            assertEquals(null, client.sendRequest(src, PEER));
            assertEquals(0, client.stats().requestsSent());
        }
    }

    @Test
    void serverReceive_innerThrows_errorPropagatesAndNextDatagramStillServed() throws Exception {
        DatagramChannel inner = mockInner();
        PackedRequest request = PssstClient.anonymous(Loopback.serverPublic()).pack(utf8("ping").array());
        when(inner.receive(any())).thenThrow(new IOException("ICMP says no")).thenAnswer(deliver(request.datagram()));
        try (PssstServerChannel server = PssstServerChannel.builder(Loopback.serverPrivate()).wrap(inner)) {
            ByteBuffer dst = ByteBuffer.allocate(64);
            assertThrows(IOException.class, () -> server.receive(dst));
            assertEquals(0, dst.position());
            assertEquals(PEER, server.receive(dst));
            assertEquals("ping", string(dst.flip()));
        }
    }

    @Test
    void serverSend_zeroBytesThenRetry_sameSealedDatagramResent() throws Exception {
        DatagramChannel inner = mockInner();
        PackedRequest request = PssstClient.anonymous(Loopback.serverPublic()).pack(utf8("ping").array());
        when(inner.receive(any())).thenAnswer(deliver(request.datagram()));
        List<byte[]> attempts = new ArrayList<>();
        when(inner.send(any(), any())).thenAnswer(inv -> {
            ByteBuffer b = inv.getArgument(0);
            byte[] d = new byte[b.remaining()];
            b.duplicate().get(d);
            attempts.add(d);
            if (attempts.size() == 1) {
                return 0;
            }
            b.position(b.limit());
            return d.length;
        });
        try (PssstServerChannel server = PssstServerChannel.builder(Loopback.serverPrivate()).wrap(inner)) {
            SocketAddress from = server.receive(ByteBuffer.allocate(64));
            ByteBuffer reply = utf8("pong");
            assertEquals(0, server.send(reply, from));
            assertEquals(0, reply.position());
            assertEquals(1, server.pendingReplies());
            assertEquals(4, server.send(reply, from));
            assertFalse(reply.hasRemaining());
            assertEquals(0, server.pendingReplies());
            assertEquals(2, attempts.size());
            assertEquals(ByteBuffer.wrap(attempts.get(0)), ByteBuffer.wrap(attempts.get(1)));
            assertEquals("pong", new String(request.openReply(attempts.get(1)), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * A reply the network refuses for its destination is a datagram lost on the way (issue 8,
     * item 2): counted, its context wiped, {@code send} returns as if sent, and the channel
     * answers the next request. Before, the IOException reached the caller's loop.
     */
    @Test
    void serverSend_innerThrows_countedAsLostChannelCarriesOn() throws Exception {
        DatagramChannel inner = mockInner();
        PackedRequest first = PssstClient.anonymous(Loopback.serverPublic()).pack(utf8("ping").array());
        PackedRequest second = PssstClient.anonymous(Loopback.serverPublic()).pack(utf8("pong?").array());
        when(inner.receive(any())).thenAnswer(deliver(first.datagram())).thenAnswer(deliver(second.datagram()));
        List<byte[]> sent = new ArrayList<>();
        when(inner.send(any(), any())).thenThrow(new java.net.SocketException("Network is unreachable"))
                .thenAnswer(inv -> {
                    ByteBuffer b = inv.getArgument(0);
                    byte[] d = new byte[b.remaining()];
                    b.get(d);
                    sent.add(d);
                    return d.length;
                });
        try (PssstServerChannel server = PssstServerChannel.builder(Loopback.serverPrivate()).wrap(inner)) {
            SocketAddress from = server.receive(ByteBuffer.allocate(64));
            ByteBuffer reply = utf8("pong");
            assertEquals(4, server.send(reply, from));
            assertFalse(reply.hasRemaining());
            assertEquals(0, server.pendingReplies(), "the failed reply's context is wiped, not kept");
            assertEquals(1, server.stats().replySendFailures());
            assertEquals(0, server.stats().repliesSent());
            assertEquals(PEER, server.receive(ByteBuffer.allocate(64)));
            assertEquals(5, server.send(utf8("pong!"), PEER));
            assertEquals("pong!", new String(second.openReply(sent.get(0)), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(1, server.stats().repliesSent());
        }
    }

    /**
     * A valid request whose (forged) source port is 0 can never be answered: it is dropped and
     * counted before any X25519, and the next request is answered (issue 8, item 2: before,
     * the reply's "Can't send to port 0" stopped {@code pssst serve}).
     */
    @ParameterizedTest(name = "{0} port {1}")
    @org.junit.jupiter.params.provider.CsvSource({"127.0.0.1,0", "0.0.0.0,7667", "255.255.255.255,7667",
        "224.0.0.1,7667", "::,7667", "::1,0"})
    void serverReceive_unanswerableSource_droppedBeforeX25519NextAnswered(String host, int port) throws Exception {
        InetSocketAddress spoofed = new InetSocketAddress(java.net.InetAddress.getByName(host), port); // a literal: no lookup
        DatagramChannel inner = mockInner();
        PackedRequest request = PssstClient.anonymous(Loopback.serverPublic()).pack(utf8("ping").array());
        when(inner.receive(any())).thenAnswer(inv -> {
            inv.<ByteBuffer>getArgument(0).put(request.datagram());
            return spoofed;
        }).thenAnswer(deliver(request.datagram()));
        when(inner.send(any(), any())).thenAnswer(sendAll());
        try (PssstServerChannel server = PssstServerChannel.builder(Loopback.serverPrivate())
                        .x25519(io.pssst.PssstX25519.JDK).wrap(inner); // the counter counts the JDK's X25519
                io.pssst.testing.CountingX25519 x25519 = io.pssst.testing.CountingX25519.install()) {
            ByteBuffer dst = ByteBuffer.allocate(64);
            assertEquals(PEER, server.receive(dst), "the spoofed datagram is skipped, the next one delivered");
            assertEquals(1, x25519.take(), "X25519 for the genuine request only");
            assertEquals(1, server.stats().dropped(PssstChannelStats.DropReason.UNANSWERABLE_SOURCE));
            assertEquals(4, server.send(utf8("pong"), PEER));
            assertEquals(1, server.stats().repliesSent());
        }
    }

    /** A flood of invalid datagrams cannot hold an event loop: each non-blocking call examines at most 64. */
    @ParameterizedTest
    @ValueSource(strings = {"client", "server"})
    void nonBlockingReceive_endlessGarbage_returnsNullAfter64(String role) throws Exception {
        DatagramChannel inner = mockInner();
        when(inner.isBlocking()).thenReturn(false);
        when(inner.receive(any())).thenAnswer(deliver(new byte[] {1, 2, 3}));
        try (PssstDatagramChannel channel = role.equals("client")
                ? PssstClientChannel.builder(Loopback.serverPublic()).wrap(inner)
                : PssstServerChannel.builder(Loopback.serverPrivate()).wrap(inner)) {
            assertFalse(channel.isBlocking());
            ByteBuffer dst = ByteBuffer.allocate(64);
            for (int pass = 1; pass <= 2; pass++) {
                assertNull(channel.receive(dst));
                assertEquals(pass * ReceiveLoop.NONBLOCKING_DRAIN, channel.stats().datagramsReceived());
                assertEquals(pass * ReceiveLoop.NONBLOCKING_DRAIN,
                        channel.stats().dropped(PssstChannelStats.DropReason.MALFORMED));
            }
            assertEquals(0, dst.position());
            if (channel instanceof PssstClientChannel client) {
                assertNull(client.receiveReply(dst));
                assertEquals(3 * ReceiveLoop.NONBLOCKING_DRAIN, channel.stats().datagramsReceived());
            }
        }
    }

    @Test
    void close_whileBlockedInReceive_asynchronousCloseAndInnerClosed() throws Exception {
        PssstServerChannel server = PssstDatagramChannel.openServer(Loopback.serverPrivate());
        server.bind(any("127.0.0.1"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                server.receive(ByteBuffer.allocate(64));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        awaitBlocked(t);
        server.close();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertInstanceOf(AsynchronousCloseException.class, thrown.get());
        assertFalse(server.inner().isOpen());
    }

    /** A close that lands after the PSSST channel began its receive, before the inner channel's read began. */
    @Test
    void close_betweenBeginAndInnerRead_asynchronousClose() throws Exception {
        DatagramChannel inner = mockInner();
        AtomicReference<PssstServerChannel> outer = new AtomicReference<>();
        when(inner.receive(any())).thenAnswer(inv -> {
            outer.get().close();                          // another thread's close, at this instant
            throw new java.nio.channels.ClosedChannelException(); // what the closed JDK channel then says
        });
        outer.set(PssstServerChannel.builder(Loopback.serverPrivate()).wrap(inner));
        assertThrows(AsynchronousCloseException.class, () -> outer.get().receive(ByteBuffer.allocate(64)));
        assertFalse(outer.get().isOpen());
    }

    @Test
    void interrupt_whileBlockedInReceive_closedByInterrupt() throws Exception {
        PssstClientChannel client = PssstDatagramChannel.openClient(Loopback.serverPublic());
        client.bind(any("127.0.0.1"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                client.receive(ByteBuffer.allocate(64));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        awaitBlocked(t);
        t.interrupt();
        t.join(10_000);
        assertInstanceOf(ClosedByInterruptException.class, thrown.get());
        assertFalse(client.isOpen());
    }

    @Test
    void close_withCallsOutstanding_futuresFailAndPumpStops() throws Exception {
        try (DatagramChannel blackHole = DatagramChannel.open().bind(any("127.0.0.1"))) {
            PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic())
                    .retryPolicy(PssstRetryPolicy.noRetransmission(Duration.ofMinutes(1))).open();
            CompletableFuture<ByteBuffer> f = client.callAsync(utf8("never answered"), blackHole.getLocalAddress());
            assertNotNull(f);
            client.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertInstanceOf(AsynchronousCloseException.class, e.getCause());
            assertEquals(0, client.outstandingRequests());
            assertTrue(client.callAsync(utf8("after"), blackHole.getLocalAddress()).isCompletedExceptionally());
        }
    }

    @Test
    void configureBlocking_propagatesToInner() throws Exception {
        DatagramChannel inner = mockInner();
        try (PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic()).wrap(inner)) {
            client.configureBlocking(false);
            org.mockito.Mockito.verify(inner).configureBlocking(false);
            assertSame(inner, client.inner());
        }
        org.mockito.Mockito.verify(inner).close();
    }

    private static org.mockito.stubbing.Answer<Integer> sendAll() {
        return inv -> {
            ByteBuffer b = inv.getArgument(0);
            int n = b.remaining();
            b.position(b.limit());
            return n;
        };
    }

    private static org.mockito.stubbing.Answer<SocketAddress> deliver(byte[] datagram) {
        return inv -> {
            ByteBuffer b = inv.getArgument(0);
            b.put(datagram);
            return PEER;
        };
    }

    /**
     * Waits (bounded) until the thread is inside the inner JDK channel's receive: past the
     * PSSST channel's {@code begin()}, so a close or an interrupt from now on is asynchronous
     * to the receive, whether or not the thread has reached the system call yet.
     */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - end < 0) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().startsWith("sun.nio.ch.") && e.getMethodName().equals("receive")) {
                    return;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("thread never reached the inner channel's receive");
    }
}
