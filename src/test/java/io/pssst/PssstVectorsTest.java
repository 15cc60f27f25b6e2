package io.pssst;

import io.pssst.testing.RequiresSharedData;
import static io.pssst.testing.InteropVectors.CLIENT_INVALID;
import static io.pssst.testing.InteropVectors.SERVER_INVALID;
import static io.pssst.testing.InteropVectors.TRANSACTIONS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pssst.testing.FixedRandom;
import io.pssst.testing.InteropVectors.Invalid;
import io.pssst.testing.InteropVectors.Transaction;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared interop vectors through the native API, both roles, byte for byte. */
@RequiresSharedData
class PssstVectorsTest {

    static PssstClient client(Transaction v) throws PssstException {
        var server = PssstKeys.publicKey(v.serverPublic());
        PssstClient c = v.clientPrivate() == null ? PssstClient.anonymous(server)
                : PssstClient.authenticated(server, PssstKeys.privateKey(v.clientPrivate()));
        return c.withRandom(new FixedRandom(v.ephemeralPrivate()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void client_packsRequestAndOpensReply_byteForByte(Transaction v) throws Exception {
        PackedRequest request = client(v).pack(v.requestMessage());
        assertArrayEquals(v.request(), request.datagram(), "request datagram");
        assertArrayEquals(v.replyMessage(), request.openReply(v.reply()), "reply message");
        assertTrue(request.replyOpener().isAnswered());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void server_opensRequestAndSealsReply_byteForByte(Transaction v) throws Exception {
        PssstServer server = PssstServer.create(PssstKeys.privateKey(v.serverPrivate()));
        ReceivedRequest request = server.open(v.request());
        assertArrayEquals(v.requestMessage(), request.message(), "request message");
        if (v.clientPublic() == null) {
            assertFalse(request.clientKey().isPresent());
        } else {
            assertArrayEquals(v.clientPublic(), PssstKeys.toRaw(request.clientKey().orElseThrow()));
        }
        assertArrayEquals(v.reply(), request.seal(v.replyMessage()), "reply datagram");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void buffers_heapAndDirect_byteForByte(Transaction v) throws Exception {
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer request = alloc(direct, v.request().length + 7).position(7);
            ReplyOpener opener = client(v).pack(alloc(direct, v.requestMessage()), request);
            assertEquals(request.capacity(), request.position());
            request.position(7);
            assertEquals(ByteBuffer.wrap(v.request()), request);

            PssstServer server = PssstServer.create(PssstKeys.privateKey(v.serverPrivate()));
            ByteBuffer message = alloc(direct, v.request().length);
            ReplySealer sealer = server.open(request, message);
            assertFalse(request.hasRemaining());
            message.flip();
            assertEquals(ByteBuffer.wrap(v.requestMessage()), message);

            ByteBuffer reply = alloc(direct, v.reply().length);
            sealer.seal(alloc(direct, v.replyMessage()), reply);
            reply.flip();
            assertEquals(ByteBuffer.wrap(v.reply()), reply);

            ByteBuffer opened = alloc(direct, v.replyMessage().length);
            opener.open(reply, opened);
            opened.flip();
            assertEquals(ByteBuffer.wrap(v.replyMessage()), opened);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void inPlace_requestAndReply(Transaction v) throws Exception {
        for (boolean direct : new boolean[] {false, true}) {
            PssstServer server = PssstServer.create(PssstKeys.privateKey(v.serverPrivate()));
            ByteBuffer request = alloc(direct, v.request());
            ReplySealer sealer = server.openInPlace(request);
            assertEquals(ByteBuffer.wrap(v.requestMessage()), request);
            assertEquals(v.clientPublic() != null, sealer.clientKey().isPresent());

            ReplyOpener opener = client(v).pack(v.requestMessage()).replyOpener();
            ByteBuffer reply = alloc(direct, v.reply());
            opener.openInPlace(reply);
            assertEquals(ByteBuffer.wrap(v.replyMessage()), reply);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SERVER_INVALID)
    void server_refusesInvalid_withListedReason(Invalid v) throws Exception {
        PssstServer server = PssstServer.create(PssstKeys.privateKey(v.base().serverPrivate()));
        PssstException e = assertThrows(PssstException.class, () -> server.open(v.packet()));
        assertReason(v, e);
        ByteBuffer in = ByteBuffer.wrap(v.packet());
        ByteBuffer out = ByteBuffer.allocate(v.packet().length);
        assertReason(v, assertThrows(PssstException.class, () -> server.open(in, out)));
        assertEquals(0, in.position(), "request buffer must not move on refusal");
        assertEquals(0, out.position(), "message buffer must not move on refusal");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(CLIENT_INVALID)
    void client_refusesInvalid_withListedReason_thenAcceptsGenuine(Invalid v) throws Exception {
        PackedRequest request = client(v.base()).pack(v.base().requestMessage());
        assertReason(v, assertThrows(PssstException.class, () -> request.openReply(v.packet())));
        assertFalse(request.replyOpener().isAnswered());
        assertArrayEquals(v.base().replyMessage(), request.openReply(v.base().reply()),
                "a refused forgery must not use up the reply context");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void client_refusesSecondReply(Transaction v) throws Exception {
        PackedRequest request = client(v).pack(v.requestMessage());
        request.openReply(v.reply());
        ReplyMismatchException e = assertThrows(ReplyMismatchException.class, () -> request.openReply(v.reply()));
        assertTrue(e.getMessage().contains("already been answered"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void server_refusesSecondReply(Transaction v) throws Exception {
        PssstServer server = PssstServer.create(PssstKeys.privateKey(v.serverPrivate()));
        ReceivedRequest request = server.open(v.request());
        request.seal(v.replyMessage());
        assertThrows(IllegalStateException.class, () -> request.seal(v.replyMessage()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void server_sealsReplyInPlace_atSameStartAndAtPayloadOffset(Transaction v) throws Exception {
        for (int messageOffset : new int[] {0, 36}) {
            for (boolean direct : new boolean[] {false, true}) {
                PssstServer server = PssstServer.create(PssstKeys.privateKey(v.serverPrivate()));
                ReplySealer sealer = server.open(v.request()).replySealer();
                ByteBuffer buffer = alloc(direct, v.reply().length + messageOffset);
                buffer.position(messageOffset).put(v.replyMessage());
                ByteBuffer message = buffer.duplicate().flip().position(messageOffset);
                ByteBuffer out = buffer.duplicate().clear();
                sealer.seal(message, out);
                assertEquals(v.reply().length, out.position());
                assertEquals(ByteBuffer.wrap(v.reply()), out.flip(), "offset " + messageOffset + (direct ? " direct" : " heap"));
            }
        }
    }

    private static void assertReason(Invalid v, PssstException e) {
        if (!v.errors().contains(e.reason().wireName())) {
            fail("refused as " + e.reason() + " (" + e.getMessage() + "), expected one of " + v.errors());
        }
    }

    static ByteBuffer alloc(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    static ByteBuffer alloc(boolean direct, byte[] content) {
        return alloc(direct, content.length).put(content).flip();
    }
}
