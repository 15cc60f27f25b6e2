package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.internal.channel.ChannelCounters;
import io.pssst.testing.FixedRandom;
import io.pssst.testing.InteropVectors;
import io.pssst.testing.InteropVectors.Invalid;
import io.pssst.testing.InteropVectors.Transaction;
import io.pssst.testing.RequiresSharedData;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared interop vectors through the channels over loopback: valid transactions byte for
 * byte on the wire, and every invalid packet dropped with a reason the vector allows, never
 * delivered, with the channel still working afterwards.
 */
@RequiresSharedData
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelVectorsTest {

    static java.util.List<Transaction> transactions() {
        return InteropVectors.transactions();
    }

    static Stream<Invalid> serverInvalid() {
        return InteropVectors.invalid().stream().filter(v -> v.side().equals("server"));
    }

    static Stream<Invalid> clientInvalid() {
        return InteropVectors.invalid().stream().filter(v -> v.side().equals("client"));
    }

    private static PssstClientChannel client(Transaction v) throws Exception {
        PssstClientChannel.Builder b = PssstClientChannel.builder(PssstKeys.publicKey(v.serverPublic()))
                .random(new FixedRandom(v.ephemeralPrivate()));
        if (v.clientPrivate() != null) {
            b.clientKey(PssstKeys.privateKey(v.clientPrivate()));
        }
        return b.open();
    }

    /**
     * A server for the vectors. The shared vectors' replies are fixed bytes, some of them up to
     * 21 times their request (a 1,452-byte reply to a 68-byte request), so the amplification
     * bound is off here; {@code FloodDefencesTest} tests the bound.
     */
    private static PssstServerChannel server(Transaction v) throws Exception {
        PssstServerChannel s = PssstServerChannel.builder(PssstKeys.privateKey(v.serverPrivate()))
                .maxAmplification(0).open();
        s.bind(any("127.0.0.1"));
        return s;
    }

    private static byte[] bytes(ByteBuffer b) {
        return Arrays.copyOf(b.array(), b.position());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transactions")
    void transaction_throughBothChannels_byteForByteOnTheWire(Transaction v) throws Exception {
        try (DatagramChannel wire = DatagramChannel.open().bind(any("127.0.0.1"));
                PssstClientChannel client = client(v);
                PssstServerChannel server = server(v)) {
            client.bind(any("127.0.0.1"));
            client.send(ByteBuffer.wrap(v.requestMessage()), wire.getLocalAddress());
            ByteBuffer request = ByteBuffer.allocate(70_000);
            SocketAddress clientAddress = wire.receive(request);
            assertArrayEquals(v.request(), bytes(request), "request on the wire");

            wire.send(request.flip(), server.getLocalAddress());
            ByteBuffer message = ByteBuffer.allocate(70_000);
            SocketAddress wireAddress = server.receive(message);
            assertArrayEquals(v.requestMessage(), bytes(message));
            server.send(ByteBuffer.wrap(v.replyMessage()), wireAddress);
            ByteBuffer reply = ByteBuffer.allocate(70_000);
            wire.receive(reply);
            assertArrayEquals(v.reply(), bytes(reply), "reply on the wire");

            wire.send(reply.flip(), clientAddress);
            ByteBuffer answer = ByteBuffer.allocate(70_000);
            client.receive(answer);
            assertArrayEquals(v.replyMessage(), bytes(answer));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverInvalid")
    void serverReceive_invalidVector_droppedWithListedReason(Invalid v) throws Exception {
        try (DatagramChannel wire = DatagramChannel.open().bind(any("127.0.0.1"));
                PssstServerChannel server = server(v.base())) {
            server.configureBlocking(false);
            wire.send(ByteBuffer.wrap(v.packet()), server.getLocalAddress());
            ByteBuffer dst = ByteBuffer.allocate(70_000);
            awaitExamined(server, dst, 1);
            assertEquals(0, dst.position());
            PssstChannelStats s = server.stats();
            assertEquals(1, s.droppedTotal(), s.toString());
            PssstChannelStats.DropReason expected = null;
            for (String e : v.errors()) {
                for (PssstException.Reason r : PssstException.Reason.values()) {
                    if (r.wireName().equals(e) && s.dropped(ChannelCounters.reasonOf(r)) == 1) {
                        expected = ChannelCounters.reasonOf(r);
                    }
                }
            }
            assertTrue(expected != null, "dropped for a reason the vector does not list: " + s + " vs " + v.errors());
            assertEquals(0, server.pendingReplies());

            // the genuine request of the same transaction still gets through
            server.configureBlocking(true);
            wire.send(ByteBuffer.wrap(v.base().request()), server.getLocalAddress());
            assertEquals(wire.getLocalAddress(), server.receive(dst));
            assertArrayEquals(v.base().requestMessage(), bytes(dst));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientInvalid")
    void clientReceive_invalidVector_droppedNotDelivered(Invalid v) throws Exception {
        try (DatagramChannel wire = DatagramChannel.open().bind(any("127.0.0.1"));
                PssstClientChannel client = client(v.base())) {
            client.bind(any("127.0.0.1")).configureBlocking(false);
            client.send(ByteBuffer.wrap(v.base().requestMessage()), wire.getLocalAddress());
            ByteBuffer request = ByteBuffer.allocate(70_000);
            SocketAddress clientAddress = wire.receive(request);
            assertArrayEquals(v.base().request(), bytes(request));

            wire.send(ByteBuffer.wrap(v.packet()), clientAddress);
            ByteBuffer dst = ByteBuffer.allocate(70_000);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.stats().datagramsReceived() < 1) {
                assertNull(client.receive(dst));
                assertTrue(System.nanoTime() < end);
                Thread.sleep(2);
            }
            assertEquals(0, dst.position());
            assertEquals(1, client.stats().droppedTotal(), client.stats().toString());

            wire.send(ByteBuffer.wrap(v.base().reply()), clientAddress);
            client.configureBlocking(true);
            client.receive(dst);
            assertArrayEquals(v.base().replyMessage(), bytes(dst));
        }
    }

    static void awaitExamined(PssstDatagramChannel ch, ByteBuffer dst, long datagrams) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ch.stats().datagramsReceived() < datagrams) {
            assertNull(ch.receive(dst));
            assertTrue(System.nanoTime() < end, "datagram did not arrive");
            Thread.sleep(2);
        }
        assertNull(ch.receive(dst));
    }
}
