package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.string;
import static io.pssst.channel.Loopback.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstServer;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.internal.channel.RequestSlot;
import io.pssst.internal.channel.RequestTable;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's bound on outstanding requests (eviction, plain ones first; back-pressure for
 * {@code call}), the expiry of plain requests, and late replies, against a hand-driven server
 * (a raw JDK socket and the native API). Retry timeouts are a minute, so no timer fires
 * during a test; expiry runs on a fake clock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientRequestBoundsTest {
    private static final PssstRetryPolicy SLOW = PssstRetryPolicy.noRetransmission(Duration.ofMinutes(1));

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private DatagramChannel rawServer;
    private PssstServer engine;
    private SocketAddress server;

    @BeforeEach
    void open() throws Exception {
        rawServer = DatagramChannel.open().bind(any("127.0.0.1"));
        server = rawServer.getLocalAddress();
        engine = PssstServer.create(Loopback.serverPrivate());
    }

    @AfterEach
    void close() throws Exception {
        rawServer.close();
    }

    private PssstClientChannel client(int maxOutstanding, boolean fakeClock) throws Exception {
        PssstClientChannel.Builder b = PssstClientChannel.builder(Loopback.serverPublic())
                .maxOutstandingRequests(maxOutstanding).retryPolicy(SLOW);
        if (fakeClock) {
            b.clock(now::get);
        }
        PssstClientChannel c = b.open();
        c.bind(any("127.0.0.1"));
        return c;
    }

    /** The next request the raw server received, and who sent it. */
    private byte[] receiveRequest(AtomicReference<SocketAddress> from) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2048);
        from.set(rawServer.receive(b));
        return Arrays.copyOf(b.array(), b.position());
    }

    private void reply(byte[] request, String message, SocketAddress to) throws Exception {
        rawServer.send(ByteBuffer.wrap(engine.open(request).seal(utf8(message).array())), to);
    }

    /** Non-blocking receives until the client has read {@code datagrams} in all; returns what was delivered. */
    private static String drain(PssstClientChannel client, long datagrams) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(2048);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.stats().datagramsReceived() < datagrams) {
            client.receive(dst);
            assertTrue(System.nanoTime() - end < 0, "datagrams did not arrive: " + client.stats());
            Thread.sleep(2);
        }
        client.receive(dst);
        return string(dst.flip());
    }

    @Test
    void send_tableFull_oldestPlainEvictedBeforeOlderExplicitAndItsReplyIsLate() throws Exception {
        try (PssstClientChannel client = client(2, false)) {
            AtomicReference<SocketAddress> from = new AtomicReference<>();
            PssstRequestId explicit = client.sendRequest(utf8("explicit"), server);
            client.send(utf8("plain 1"), server);
            client.send(utf8("plain 2"), server);             // full: evicts plain 1, not the older explicit
            assertEquals(2, client.outstandingRequests());
            assertEquals(1, client.stats().requestsEvicted());
            byte[] toExplicit = receiveRequest(from);
            byte[] toPlain1 = receiveRequest(from);
            byte[] toPlain2 = receiveRequest(from);

            client.configureBlocking(false);
            reply(toPlain1, "for plain 1", from.get());
            reply(toPlain2, "for plain 2", from.get());
            assertEquals("for plain 2", drain(client, 2));
            assertEquals(1, client.stats().dropped(DropReason.LATE_REPLY));

            reply(toExplicit, "for explicit", from.get());
            ByteBuffer dst = ByteBuffer.allocate(64);
            PssstReply r = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((r = client.receiveReply(dst)) == null && System.nanoTime() - end < 0) {
                Thread.sleep(2);
            }
            assertNotNull(r);
            assertEquals(explicit, r.requestId());
            assertEquals("for explicit", string(dst.flip()));
            assertEquals(0, client.outstandingRequests());
        }
    }

    @Test
    void sendRequest_tableFull_oldestEvictedAndReportedAsEvictedTimeout() throws Exception {
        try (PssstClientChannel client = client(1, false)) {
            PssstRequestId first = client.sendRequest(utf8("first"), server);
            PssstRequestId second = client.sendRequest(utf8("second"), server);
            client.configureBlocking(false);
            PssstReply event = client.receiveReply(ByteBuffer.allocate(16));
            assertNotNull(event);
            assertTrue(event.isTimeout() && event.wasEvicted(), event.toString());
            assertEquals(first, event.requestId());
            assertEquals(1, event.attempts());
            assertEquals(1, client.outstandingRequests());
            assertEquals(1, client.stats().requestsEvicted());
            assertFalse(first.equals(second));
        }
    }

    @Test
    void callAsync_evicted_failsWithEvictedTimeout() throws Exception {
        try (PssstClientChannel client = client(1, false)) {
            client.configureBlocking(false);
            CompletableFuture<ByteBuffer> call = client.callAsync(utf8("call"), server);
            client.sendRequest(utf8("newer"), server);
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            PssstTimeoutException timeout = assertInstanceOf(PssstTimeoutException.class, e.getCause());
            assertTrue(timeout.wasEvicted());
            assertNotNull(timeout.requestId());
        }
    }

    @Test
    void call_tableFull_waitsForRoomAndTimesOutWithoutEvicting() throws Exception {
        try (PssstClientChannel client = client(1, false)) {
            PssstRequestId waiting = client.sendRequest(utf8("occupies the table"), server);
            PssstTimeoutException e = assertThrows(PssstTimeoutException.class,
                    () -> client.call(utf8("no room"), server, Duration.ofMillis(100)));
            assertTrue(e.getMessage().contains("maxOutstandingRequests"), e.getMessage());
            assertFalse(e.wasEvicted());
            assertEquals(1, client.outstandingRequests());
            assertEquals(0, client.stats().requestsEvicted());
            assertEquals(1, client.stats().datagramsSent());
            assertNotNull(waiting);
        }
    }

    @Test
    void call_tableFull_proceedsOnceAReplyFreesASlot() throws Exception {
        try (PssstClientChannel client = client(1, false)) {
            PssstRequestId first = client.sendRequest(utf8("first"), server);
            AtomicReference<Object> result = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    result.set(string(client.call(utf8("second"), server, Duration.ofSeconds(30))));
                } catch (Exception ex) {
                    result.set(ex);
                }
            }, "caller");
            caller.start();
            AtomicReference<SocketAddress> from = new AtomicReference<>();
            reply(receiveRequest(from), "one", from.get());
            PssstReply r = client.receiveReply(ByteBuffer.allocate(16)); // frees the slot: the call goes out
            assertEquals(first, r.requestId());
            byte[] second = receiveRequest(from);
            reply(second, "two", from.get());
            caller.join(TimeUnit.SECONDS.toMillis(40));
            assertFalse(caller.isAlive());
            assertEquals("two", result.get());
            assertEquals(0, client.stats().requestsEvicted());
        }
    }

    @Test
    void sendAndCall_badTarget_refusedBeforeTakingASlot() throws Exception {
        try (PssstClientChannel client = client(1, false)) {
            client.sendRequest(utf8("kept"), server);
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("pssst.invalid", 9);
            ByteBuffer src = utf8("x");
            assertThrows(UnresolvedAddressException.class, () -> client.send(src, unresolved));
            assertThrows(UnresolvedAddressException.class, () -> client.sendRequest(src, unresolved));
            assertThrows(UnresolvedAddressException.class, () -> client.callAsync(src, unresolved));
            assertThrows(UnresolvedAddressException.class, () -> client.call(src, unresolved, Duration.ofSeconds(1)));
            assertEquals(0, src.position());
            assertEquals(1, client.outstandingRequests());
            assertEquals(0, client.stats().requestsEvicted());
            assertEquals(1, client.stats().datagramsSent());
        }
    }

    @Test
    void sendRequest_connectedElsewhere_alreadyConnectedBeforeTakingASlot() throws Exception {
        try (PssstClientChannel client = client(1, false); DatagramChannel other = DatagramChannel.open()) {
            other.bind(any("127.0.0.1"));
            client.connect(server);
            client.sendRequest(utf8("kept"));
            assertThrows(AlreadyConnectedException.class, () -> client.sendRequest(utf8("x"), other.getLocalAddress()));
            assertThrows(AlreadyConnectedException.class, () -> client.callAsync(utf8("x"), other.getLocalAddress()));
            assertEquals(1, client.outstandingRequests());
            assertEquals(0, client.stats().requestsEvicted());
        }
    }

    @Test
    void plainSend_noReplyWithinTotalTimeout_expiredAndLaterReplyDroppedAsLate() throws Exception {
        try (PssstClientChannel client = client(4, true)) {
            client.configureBlocking(false);
            client.send(utf8("slow"), server);
            AtomicReference<SocketAddress> from = new AtomicReference<>();
            byte[] request = receiveRequest(from);
            now.addAndGet(SLOW.totalTimeout().toNanos() - 1);
            assertNull(client.receive(ByteBuffer.allocate(16)));
            assertEquals(1, client.outstandingRequests());
            now.addAndGet(1);
            assertNull(client.receive(ByteBuffer.allocate(16)));
            assertEquals(0, client.outstandingRequests());
            assertEquals(1, client.stats().requestsExpired());
            reply(request, "too late", from.get());
            assertEquals("", drain(client, 1));
            assertEquals(1, client.stats().dropped(DropReason.LATE_REPLY));
            assertEquals(0, client.stats().repliesAccepted());
        }
    }

    /**
     * Every slot held by a request still being sealed (reserved, not yet sendable, so nothing
     * can be evicted): a non-blocking channel's send, sendRequest and callAsync return at once
     * (0, null, a failed future) instead of waiting (issue 8, item 5: the old code polled every
     * 10 ms until a slot came free, stalling a selector thread).
     */
    @Test
    void nonBlocking_allSlotsBeingSealed_sendsReturnAtOnce() throws Exception {
        try (PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic()).retryPolicy(SLOW)
                .maxOutstandingRequests(1).open()) {
            client.configureBlocking(false);
            RequestSlot held = client.requests.reserve(RequestTable.Kind.CALL, false, RequestTable.NO_WAIT);
            long generation = held.generation();
            ByteBuffer src = utf8("hello");
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertEquals(0, client.send(src, server));
                assertNull(client.sendRequest(src, server));
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> client.callAsync(src, server).get(5, TimeUnit.SECONDS));
                assertInstanceOf(PssstTimeoutException.class, e.getCause());
            }, "a non-blocking send waited for a slot");
            assertEquals(0, src.position(), "nothing consumed");
            client.requests.cancel(held, generation);
            assertEquals(5, client.send(src, server));
        }
    }
}
