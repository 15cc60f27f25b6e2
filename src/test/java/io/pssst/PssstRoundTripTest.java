package io.pssst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.internal.Wire;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Complete transactions (pack, open request, seal reply, open reply) with message sizes from
 * 0 to 65,000 bytes, anonymous and authenticated, through every buffer path of the native
 * API. Sizes and contents come from a fixed seed, so a failure names its case and replays.
 */
class PssstRoundTripTest {
    private static final long SEED = 0x5053_5353_5401L;
    private static final int MAX = 65_000;
    private static final TestKeys.Pair SERVER = TestKeys.pair(1);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(2);

    /** How the caller hands over its bytes. */
    enum Path {
        /** byte[] conveniences. */
        ARRAY,
        /** Heap buffers that are slices of larger arrays (non-zero array offset and position). */
        HEAP,
        /** Direct buffers, non-zero position. */
        DIRECT,
        /** Heap message, direct datagram, and back. */
        MIXED,
        /** One heap buffer per datagram: the message is sealed and opened where it lies. */
        IN_PLACE_HEAP,
        /** The same with direct buffers. */
        IN_PLACE_DIRECT
    }

    static List<Arguments> cases() {
        SplittableRandom r = new SplittableRandom(SEED);
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 15, 16, 17, 63, 64, 65, 1_400, MAX));
        IntStream.range(0, 8).forEach(i -> sizes.add(r.nextInt(MAX + 1)));
        List<Arguments> out = new ArrayList<>();
        for (int size : sizes) {
            for (boolean auth : new boolean[] {false, true}) {
                for (Path path : Path.values()) {
                    out.add(Arguments.of(size, r.nextInt(MAX + 1), auth, path, r.nextLong()));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "request {0} B, reply {1} B, auth={2}, {3}")
    @MethodSource("cases")
    void transaction_randomSize_roundTrips(int requestSize, int replySize, boolean auth, Path path, long seed)
            throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] request = TestKeys.bytes(r, requestSize);
        byte[] reply = TestKeys.bytes(r, replySize);
        PssstClient client = (auth ? PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                : PssstClient.anonymous(SERVER.publicKey())).withRandom(SeededRandom.of(seed));
        PssstServer server = PssstServer.create(SERVER.privateKey());

        Transaction t = switch (path) {
            case ARRAY -> arrays(client, server, request, reply);
            case HEAP -> buffers(client, server, request, reply, false, false);
            case DIRECT -> buffers(client, server, request, reply, true, true);
            case MIXED -> buffers(client, server, request, reply, false, true);
            case IN_PLACE_HEAP -> inPlace(client, server, request, reply, false);
            case IN_PLACE_DIRECT -> inPlace(client, server, request, reply, true);
        };
        assertEquals(client.requestLength(requestSize), t.requestLength, "request datagram length");
        assertEquals(requestSize + 52 + (auth ? 64 : 0), t.requestLength);
        assertEquals(replySize + 52, t.replyLength, "reply datagram length");
        assertArrayEquals(request, t.requestSeen, "request message at the server");
        assertArrayEquals(reply, t.replySeen, "reply message at the client");
        assertEquals(auth, t.clientKey.isPresent(), "authenticated client key present");
        if (auth) {
            assertArrayEquals(CLIENT.rawPublic(), PssstKeys.toRaw(t.clientKey.orElseThrow()), "client key");
        }
        assertTrue(t.opener.isAnswered());
        assertTrue(t.sealer.isAnswered());
    }

    /** What one transaction produced. */
    private record Transaction(int requestLength, int replyLength, byte[] requestSeen, byte[] replySeen,
            Optional<XECPublicKey> clientKey, ReplyOpener opener, ReplySealer sealer) {
    }

    private static Transaction arrays(PssstClient client, PssstServer server, byte[] request, byte[] reply)
            throws PssstException {
        PackedRequest packed = client.pack(request);
        ReceivedRequest received = server.open(packed.datagram());
        byte[] replyDatagram = received.seal(reply);
        byte[] opened = packed.openReply(replyDatagram);
        return new Transaction(packed.datagram().length, replyDatagram.length, received.message(), opened,
                received.clientKey(), packed.replyOpener(), received.replySealer());
    }

    private static Transaction buffers(PssstClient client, PssstServer server, byte[] request, byte[] reply,
            boolean directMessages, boolean directDatagrams) throws PssstException {
        int requestLength = client.requestLength(request.length);
        ByteBuffer message = content(directMessages, request);
        ByteBuffer datagram = window(directDatagrams, requestLength);
        int start = datagram.position();
        ReplyOpener opener = client.pack(message, datagram);
        assertFalse(message.hasRemaining(), "message consumed");
        assertEquals(start + requestLength, datagram.position(), "datagram position advanced by its length");

        datagram.flip().position(start);
        ByteBuffer requestSeen = window(directMessages, requestLength - Wire.OVERHEAD);
        int seenStart = requestSeen.position();
        ReplySealer sealer = server.open(datagram, requestSeen);
        assertFalse(datagram.hasRemaining(), "request datagram consumed");

        ByteBuffer replyDatagram = window(directDatagrams, sealer.replyLength(reply.length));
        int replyStart = replyDatagram.position();
        sealer.seal(content(directMessages, reply), replyDatagram);
        int replyLength = replyDatagram.position() - replyStart;

        replyDatagram.flip().position(replyStart);
        ByteBuffer replySeen = window(directMessages, reply.length);
        int replySeenStart = replySeen.position();
        opener.open(replyDatagram, replySeen);
        assertFalse(replyDatagram.hasRemaining(), "reply datagram consumed");
        return new Transaction(requestLength, replyLength, written(requestSeen, seenStart),
                written(replySeen, replySeenStart), sealer.clientKey(), opener, sealer);
    }

    private static Transaction inPlace(PssstClient client, PssstServer server, byte[] request, byte[] reply,
            boolean direct) throws PssstException {
        // The request: the message lies where its ciphertext goes and is sealed over itself.
        int requestLength = client.requestLength(request.length);
        int at = requestLength - Wire.TAG_LENGTH - request.length;
        ByteBuffer buffer = allocate(direct, requestLength);
        buffer.put(at, request);
        ReplyOpener opener = client.pack(buffer.duplicate().position(at).limit(at + request.length), buffer);
        assertEquals(requestLength, buffer.position());
        buffer.flip();
        ReplySealer sealer = server.openInPlace(buffer);
        assertEquals(at, buffer.position(), "the message is framed where it was sealed");
        byte[] requestSeen = remaining(buffer);

        // The reply: sealed over the message in one buffer, then opened in place.
        int replyLength = sealer.replyLength(reply.length);
        ByteBuffer replyBuffer = allocate(direct, replyLength);
        replyBuffer.put(Wire.PREFIX_LENGTH, reply);
        sealer.seal(replyBuffer.duplicate().position(Wire.PREFIX_LENGTH).limit(Wire.PREFIX_LENGTH + reply.length),
                replyBuffer);
        assertEquals(replyLength, replyBuffer.position());
        replyBuffer.flip();
        opener.openInPlace(replyBuffer);
        assertEquals(Wire.PREFIX_LENGTH, replyBuffer.position());
        return new Transaction(requestLength, replyLength, requestSeen, remaining(replyBuffer), sealer.clientKey(),
                opener, sealer);
    }

    /** A buffer holding {@code content} between position 2 and its limit, over a larger area. */
    private static ByteBuffer content(boolean direct, byte[] content) {
        ByteBuffer b = window(direct, content.length);
        int p = b.position();
        b.put(content).flip().position(p);
        return b;
    }

    /**
     * A buffer with {@code n} bytes of room from position 2, whose limit is not its capacity;
     * heap buffers are slices, so their array offset is not zero either.
     */
    private static ByteBuffer window(boolean direct, int n) {
        ByteBuffer whole = allocate(direct, n + 8);
        ByteBuffer slice = whole.position(3).slice();
        return slice.limit(2 + n).position(2);
    }

    private static ByteBuffer allocate(boolean direct, int n) {
        return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    /** The bytes of {@code b} from {@code start} up to its position. */
    private static byte[] written(ByteBuffer b, int start) {
        byte[] out = new byte[b.position() - start];
        b.get(start, out);
        return out;
    }

    /** The remaining bytes of {@code b}, without moving it. */
    private static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }
}
