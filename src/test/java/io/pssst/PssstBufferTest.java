package io.pssst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pssst.internal.Wire;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output buffers that are read-only or too small are refused before any work (no randomness
 * drawn, no X25519: a low-order dh_param would otherwise be reported first), and nothing is
 * consumed: every position and limit is as it was and the same operation then succeeds.
 * Read-only input buffers are fine.
 */
class PssstBufferTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(31);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(32);
    private static final byte[] MESSAGE = "buffers are the caller's".getBytes();
    private static final byte[] ANSWER = "and stay so".getBytes();

    private static PssstClient client(boolean auth) throws PssstException {
        return auth ? PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                : PssstClient.anonymous(SERVER.publicKey());
    }

    /** A request whose dh_param is the low-order point u = 1: any X25519 on it fails with invalid-key. */
    private static ByteBuffer lowOrderRequest(int payload) {
        ByteBuffer d = ByteBuffer.allocate(Wire.OVERHEAD + payload);
        Wire.putHeader(d, 0);
        d.put(TestKeys.lowOrder(TestKeys.LOW_ORDER.get(1)));
        return d.position(0);
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void pack_readOnlyOrShortDatagram_refusedBeforeDrawing(boolean auth) throws Exception {
        PssstClient refusing = client(auth).withRandom(SeededRandom.refusingDraws());
        int length = refusing.requestLength(MESSAGE.length);
        ByteBuffer message = ByteBuffer.wrap(MESSAGE);
        ByteBuffer readOnly = ByteBuffer.allocate(length).asReadOnlyBuffer();
        assertThrows(ReadOnlyBufferException.class, () -> refusing.pack(message, readOnly));
        ByteBuffer small = ByteBuffer.allocateDirect(length).limit(length - 1);
        assertThrows(BufferOverflowException.class, () -> refusing.pack(message, small));
        assertEquals(0, message.position());
        assertEquals(0, small.position());
        assertEquals(length - 1, small.limit());

        SeededRandom random = SeededRandom.of(33);
        ByteBuffer datagram = ByteBuffer.allocate(length);
        client(auth).withRandom(random).pack(message, datagram);
        assertEquals(1, random.draws(), "exactly one draw per request");
        assertArrayEquals(MESSAGE, PssstServer.create(SERVER.privateKey()).open(datagram.array()).message());
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void openRequest_readOnlyOrShortMessage_refusedBeforeX25519_nothingConsumed(boolean auth) throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        int room = lowOrderRequest(40).remaining() - Wire.OVERHEAD;
        ByteBuffer lowOrder = lowOrderRequest(40);
        assertThrows(ReadOnlyBufferException.class,
                () -> server.open(lowOrder, ByteBuffer.allocate(room).asReadOnlyBuffer()));
        assertThrows(BufferOverflowException.class, () -> server.open(lowOrder, ByteBuffer.allocate(room - 1)));
        assertThrows(ReadOnlyBufferException.class, () -> server.openInPlace(lowOrder.asReadOnlyBuffer()));
        assertEquals(0, lowOrder.position());

        byte[] genuine = client(auth).pack(MESSAGE).datagram();
        ByteBuffer request = ByteBuffer.wrap(genuine);
        ByteBuffer small = ByteBuffer.allocate(genuine.length - Wire.OVERHEAD - 1);
        assertThrows(BufferOverflowException.class, () -> server.open(request, small));
        assertThrows(ReadOnlyBufferException.class, () -> server.openInPlace(request.asReadOnlyBuffer()));
        assertEquals(0, request.position());
        assertEquals(0, small.position());
        ByteBuffer out = ByteBuffer.allocate(genuine.length - Wire.OVERHEAD);
        server.open(request, out);
        assertArrayEquals(MESSAGE, Arrays.copyOf(out.array(), out.position()));
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void sealReply_readOnlyOrShortDatagram_refused_thenSeals(boolean auth) throws Exception {
        PackedRequest request = client(auth).pack(MESSAGE);
        ReplySealer sealer = PssstServer.create(SERVER.privateKey()).open(request.datagram()).replySealer();
        ByteBuffer answer = ByteBuffer.wrap(ANSWER);
        int length = sealer.replyLength(ANSWER.length);
        assertThrows(ReadOnlyBufferException.class, () -> sealer.seal(answer, ByteBuffer.allocate(length).asReadOnlyBuffer()));
        ByteBuffer small = ByteBuffer.allocateDirect(length - 1);
        assertThrows(BufferOverflowException.class, () -> sealer.seal(answer, small));
        assertEquals(0, answer.position());
        assertEquals(0, small.position());
        assertFalse(sealer.isAnswered(), "a refused seal does not use up the reply context");
        ByteBuffer reply = ByteBuffer.allocate(length);
        sealer.seal(answer, reply);
        assertArrayEquals(ANSWER, request.openReply(reply.array()));
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void openReply_readOnlyOrShortMessage_refused_thenOpens(boolean auth) throws Exception {
        PackedRequest request = client(auth).pack(MESSAGE);
        byte[] reply = PssstServer.create(SERVER.privateKey()).open(request.datagram()).seal(ANSWER);
        ReplyOpener opener = request.replyOpener();
        ByteBuffer in = ByteBuffer.wrap(reply);
        assertThrows(ReadOnlyBufferException.class, () -> opener.open(in, ByteBuffer.allocate(ANSWER.length).asReadOnlyBuffer()));
        ByteBuffer small = ByteBuffer.allocateDirect(ANSWER.length - 1);
        assertThrows(BufferOverflowException.class, () -> opener.open(in, small));
        assertThrows(ReadOnlyBufferException.class, () -> opener.openInPlace(in.asReadOnlyBuffer()));
        assertEquals(0, in.position());
        assertEquals(0, small.position());
        assertFalse(opener.isAnswered());
        ByteBuffer out = ByteBuffer.allocate(ANSWER.length);
        opener.open(in, out);
        assertArrayEquals(ANSWER, out.array());
    }

    /** Inputs may be read-only (heap without an accessible array, or direct). */
    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void everyOperation_readOnlyInputs_accepted(boolean auth) throws Exception {
        for (boolean direct : new boolean[] {false, true}) {
            PssstClient client = client(auth);
            ByteBuffer datagram = ByteBuffer.allocate(client.requestLength(MESSAGE.length));
            ReplyOpener opener = client.pack(readOnly(direct, MESSAGE), datagram);
            // Room for the whole plaintext, which includes the 64-byte proof when authenticated.
            ByteBuffer message = ByteBuffer.allocate(datagram.capacity() - Wire.OVERHEAD);
            ReplySealer sealer = PssstServer.create(SERVER.privateKey()).open(readOnly(direct, datagram.array()), message);
            assertArrayEquals(MESSAGE, Arrays.copyOf(message.array(), message.position()));
            ByteBuffer reply = ByteBuffer.allocateDirect(sealer.replyLength(ANSWER.length));
            sealer.seal(readOnly(direct, ANSWER), reply);
            byte[] replyBytes = new byte[reply.flip().remaining()];
            reply.get(replyBytes);
            ByteBuffer answer = ByteBuffer.allocate(ANSWER.length);
            opener.open(readOnly(direct, replyBytes), answer);
            assertArrayEquals(ANSWER, answer.array());
        }
    }

    private static ByteBuffer readOnly(boolean direct, byte[] content) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(content.length) : ByteBuffer.allocate(content.length);
        return b.put(content).flip().asReadOnlyBuffer();
    }
}
