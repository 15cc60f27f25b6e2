package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.string;
import static io.pssst.channel.Loopback.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstServer;
import io.pssst.ReceivedRequest;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.internal.channel.RequestTable;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client channel facing a hand-driven server (a raw JDK socket and the native API):
 * everything that is not the one valid reply to an outstanding request is dropped, counted
 * by reason, and never reaches the caller; non-blocking receive then returns null.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientReplyFilteringTest {
    private DatagramChannel rawServer;
    private PssstServer engine;
    private PssstClientChannel client;
    private SocketAddress clientAddress;

    @BeforeEach
    void open() throws Exception {
        rawServer = DatagramChannel.open().bind(any("127.0.0.1"));
        engine = PssstServer.create(Loopback.serverPrivate());
        client = PssstDatagramChannel.openClient(Loopback.serverPublic());
        client.bind(any("127.0.0.1")).configureBlocking(false);
        clientAddress = client.getLocalAddress();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        rawServer.close();
    }

    /** The request the client sent, as the raw server received it. */
    private byte[] receiveRequest() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2048);
        rawServer.receive(b);
        return Arrays.copyOf(b.array(), b.position());
    }

    private void sendRaw(byte[] datagram) throws Exception {
        rawServer.send(ByteBuffer.wrap(datagram), clientAddress);
    }

    /** Non-blocking receives until the client has read {@code datagrams} in all; every result must be null. */
    private void drainExpectingNothing(long datagrams) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(2048);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.stats().datagramsReceived() < datagrams) {
            assertNull(client.receive(dst));
            assertTrue(System.nanoTime() < end, "datagrams did not arrive: " + client.stats());
            Thread.sleep(2);
        }
        assertNull(client.receive(dst));
        assertEquals(0, dst.position(), "nothing may be written for a dropped datagram");
    }

    @Test
    void receive_garbageTruncatedRequestsAndOtherSuites_droppedByReason() throws Exception {
        client.send(utf8("question"), rawServer.getLocalAddress());
        byte[] request = receiveRequest();
        ReceivedRequest opened = engine.open(request);
        byte[] reply = opened.seal(utf8("answer").array());

        sendRaw(new byte[] {1, 2, 3});                               // garbage
        sendRaw(Arrays.copyOf(reply, 51));                            // truncated below the minimum
        sendRaw(request);                                             // a request, not a reply
        byte[] otherSuite = reply.clone();
        otherSuite[3] = 2;
        sendRaw(otherSuite);                                          // unsupported suite
        byte[] tampered = reply.clone();
        tampered[tampered.length - 1] ^= 1;
        sendRaw(tampered);                                            // tag fails
        byte[] truncated = Arrays.copyOf(reply, reply.length - 1);
        sendRaw(truncated);                                           // cut short: tag fails
        drainExpectingNothing(6);

        PssstChannelStats s = client.stats();
        assertEquals(2, s.dropped(DropReason.MALFORMED));
        assertEquals(1, s.dropped(DropReason.WRONG_DIRECTION));
        assertEquals(1, s.dropped(DropReason.UNSUPPORTED_SUITE));
        assertEquals(2, s.dropped(DropReason.DECRYPT_FAILED));
        assertEquals(1, client.outstandingRequests(), "a forged reply must not use up the request");

        sendRaw(reply); // the genuine reply still opens
        ByteBuffer dst = ByteBuffer.allocate(64);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        SocketAddress from;
        while ((from = client.receive(dst)) == null) {
            assertTrue(System.nanoTime() < end);
            Thread.sleep(2);
        }
        assertEquals(rawServer.getLocalAddress(), from);
        assertEquals("answer", string(dst.flip()));
    }

    @Test
    void receive_duplicateAndReplayedReplies_droppedAsDuplicate() throws Exception {
        client.send(utf8("once"), rawServer.getLocalAddress());
        byte[] reply = engine.open(receiveRequest()).seal(utf8("only once").array());
        sendRaw(reply);
        sendRaw(reply);
        sendRaw(reply);
        ByteBuffer dst = ByteBuffer.allocate(64);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.receive(dst) == null) {
            assertTrue(System.nanoTime() < end);
            Thread.sleep(2);
        }
        assertEquals("only once", string(dst.flip()));
        drainExpectingNothing(3);
        assertEquals(2, client.stats().dropped(DropReason.DUPLICATE_REPLY));
        assertEquals(1, client.stats().repliesAccepted());
    }

    /**
     * A request given up by another thread (timeout, eviction, close) between the moment its
     * reply was matched and the moment it is opened: its keys are already wiped. The reply is
     * late, not a duplicate.
     */
    @Test
    void receive_requestGivenUpWhileItsReplyIsMatched_droppedAsLate() throws Exception {
        client.send(utf8("q"), rawServer.getLocalAddress());
        byte[] reply = engine.open(receiveRequest()).seal(utf8("r").array());
        RequestTable.Match m = new RequestTable.Match();
        assertTrue(client.requests.find(ByteBuffer.wrap(reply), m));
        m.tx().destroy();                        // what the other thread does right after releasing the slot
        sendRaw(reply);
        drainExpectingNothing(1);
        assertEquals(1, client.stats().dropped(DropReason.LATE_REPLY), client.stats().toString());
        assertEquals(0, client.stats().dropped(DropReason.DUPLICATE_REPLY));
    }

    @Test
    void receive_replyToAnotherClientsRequest_droppedAsUnmatched() throws Exception {
        client.send(utf8("mine"), rawServer.getLocalAddress());
        receiveRequest();
        // a valid reply, but to a request some other client made
        PackedRequest foreign = PssstClient.anonymous(Loopback.serverPublic()).pack(utf8("theirs").array());
        sendRaw(engine.open(foreign.datagram()).seal(utf8("for them").array()));
        drainExpectingNothing(1);
        assertEquals(1, client.stats().dropped(DropReason.UNMATCHED_REPLY));
        assertEquals(1, client.outstandingRequests());
    }

    @Test
    void receive_replyForSameIdWithFlippedAuthFlag_dropped() throws Exception {
        client.send(utf8("anon"), rawServer.getLocalAddress());
        byte[] reply = engine.open(receiveRequest()).seal(utf8("r").array());
        reply[0] |= 0x40; // claims CLIENT_AUTH: does not answer an anonymous request
        sendRaw(reply);
        drainExpectingNothing(1);
        assertEquals(1, client.stats().droppedTotal());
        assertEquals(1, client.outstandingRequests());
    }
}
