package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.string;
import static io.pssst.channel.Loopback.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server keeps reply contexts only within its bounds: number and age, on a fake clock. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplyContextBoundsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private DatagramChannel wire;
    private PssstServerChannel server;
    private final PssstClient engine = PssstClient.anonymous(Loopback.serverPublic());
    private final List<PackedRequest> sent = new ArrayList<>();

    ReplyContextBoundsTest() throws PssstException {
    }

    @BeforeEach
    void open() throws Exception {
        wire = DatagramChannel.open().bind(any("127.0.0.1"));
        server = PssstServerChannel.builder(Loopback.serverPrivate()).maxPendingReplies(3)
                .replyContextTimeout(Duration.ofSeconds(5)).clock(now::get).open();
        server.bind(any("127.0.0.1"));
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        wire.close();
    }

    private SocketAddress request(String message) throws Exception {
        PackedRequest r = engine.pack(utf8(message).array());
        sent.add(r);
        wire.send(ByteBuffer.wrap(r.datagram()), server.getLocalAddress());
        ByteBuffer dst = ByteBuffer.allocate(100);
        SocketAddress from = server.receive(dst);
        assertEquals(message, string(dst.flip()));
        return from;
    }

    private String replyOf(int request) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(200);
        wire.receive(b);
        byte[] d = java.util.Arrays.copyOf(b.array(), b.position());
        return new String(sent.get(request).openReply(d), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void receive_moreThanBound_oldestDroppedAndCounted() throws Exception {
        SocketAddress from = null;
        for (int i = 0; i < 5; i++) {
            from = request("r" + i);
        }
        assertEquals(3, server.pendingReplies());
        assertEquals(2, server.stats().replyContextsEvicted());
        server.send(utf8("a"), from);            // answers r2, the oldest kept
        assertEquals("a", replyOf(2));
        server.send(utf8("b"), from);
        assertEquals("b", replyOf(3));
        assertEquals(1, server.pendingReplies());
        assertTrue(server.stats().repliesSent() == 2);
    }

    @Test
    void send_afterContextTimeout_noPendingRequestAndCounted() throws Exception {
        SocketAddress from = request("old");
        now.addAndGet(TimeUnit.SECONDS.toNanos(4));
        assertEquals(1, server.pendingReplies());
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(0, server.pendingReplies());
        assertEquals(1, server.stats().replyContextsExpired());
        assertThrows(PssstNoPendingRequestException.class, () -> server.send(utf8("too late"), from));
        assertEquals(0, server.stats().datagramsSent());
    }

    @Test
    void pendingRequestReply_afterExpiryOrEviction_noPendingRequest() throws Exception {
        wire.send(ByteBuffer.wrap(engine.pack(utf8("handle").array()).datagram()), server.getLocalAddress());
        PssstPendingRequest handle = server.receiveRequest(ByteBuffer.allocate(100));
        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        assertThrows(PssstNoPendingRequestException.class, () -> handle.reply(utf8("late")));
        assertEquals(1, server.stats().replyContextsExpired());

        wire.send(ByteBuffer.wrap(engine.pack(utf8("h2").array()).datagram()), server.getLocalAddress());
        PssstPendingRequest evicted = server.receiveRequest(ByteBuffer.allocate(100));
        for (int i = 0; i < 3; i++) {
            request("newer" + i);
        }
        assertThrows(PssstNoPendingRequestException.class, () -> evicted.reply(utf8("late")));
        assertEquals(1, server.stats().replyContextsEvicted());
    }

    @Test
    void pendingRequest_abandon_freesTheContext() throws Exception {
        wire.send(ByteBuffer.wrap(engine.pack(utf8("drop me").array()).datagram()), server.getLocalAddress());
        PssstPendingRequest handle = server.receiveRequest(ByteBuffer.allocate(100));
        assertEquals(1, server.pendingReplies());
        handle.abandon();
        assertEquals(0, server.pendingReplies());
        assertThrows(PssstNoPendingRequestException.class, () -> handle.reply(utf8("x")));
    }

    @Test
    void standardLoop_manyTransactions_contextsPooledNotGrowing() throws Exception {
        for (int i = 0; i < 50; i++) {
            SocketAddress from = request("m" + i);
            server.send(utf8("ok" + i), from);
            assertEquals("ok" + i, replyOf(i));
        }
        assertEquals(0, server.pendingReplies());
        assertEquals(50, server.stats().repliesSent());
        assertEquals(1, server.contexts.created(), "one pooled context served every transaction");
    }
}
