package io.pssst.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pssst.PssstException;
import io.pssst.ReplyMismatchException;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's transaction state machines, which the JCA and channel surfaces drive
 * directly: a request nonce seals one message only (a second seal would reuse it), a
 * request is opened once, a reply is sealed once and opened once, and refused steps write
 * nothing.
 */
class TransactionStateTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(91);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(92);

    private static ClientSession session(boolean auth) throws PssstException {
        return auth ? ClientSession.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                : ClientSession.anonymous(SERVER.publicKey());
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void everyStep_once_secondRefusedWritingNothing(boolean auth) throws Exception {
        ClientTransaction client = session(auth).begin(SeededRandom.of(93));
        ByteBuffer request = ByteBuffer.allocate(client.requestLength(3));
        ByteBuffer early = ByteBuffer.allocate(Wire.OVERHEAD + 8);
        Wire.putHeader(early, Wire.FLAG_REPLY | client.flags());
        early.put(client.requestId()).clear();
        assertThrows(IllegalStateException.class, () -> client.openReply(early, ByteBuffer.allocate(60)),
                "opening a reply before the request is sealed");
        client.sealRequest(ByteBuffer.wrap("one".getBytes()), request);

        ByteBuffer again = ByteBuffer.allocate(client.requestLength(3));
        ByteBuffer message = ByteBuffer.wrap("two".getBytes());
        assertThrows(IllegalStateException.class, () -> client.sealRequest(message, again),
                "a second message under the same request nonce");
        assertEquals(0, again.position());
        assertEquals(0, message.position());

        ServerSession server = ServerSession.of(SERVER.privateKey());
        request.flip();
        ServerTransaction tx = server.begin(request);
        ByteBuffer plain = ByteBuffer.allocate(request.remaining());
        ByteBuffer copy = request.duplicate();
        tx.openRequest(request, plain);
        assertArrayEquals("one".getBytes(), java.util.Arrays.copyOf(plain.array(), plain.position()));
        ByteBuffer plainAgain = ByteBuffer.allocate(copy.remaining());
        assertThrows(IllegalStateException.class, () -> tx.openRequest(copy, plainAgain), "opening a request twice");
        assertEquals(0, plainAgain.position());

        ByteBuffer reply = ByteBuffer.allocate(tx.replyLength(5));
        tx.sealReply(ByteBuffer.wrap("reply".getBytes()), reply);
        ByteBuffer replyAgain = ByteBuffer.allocate(tx.replyLength(5));
        assertThrows(IllegalStateException.class, () -> tx.sealReply(ByteBuffer.wrap("again".getBytes()), replyAgain));
        assertEquals(0, replyAgain.position());

        reply.flip();
        ByteBuffer copyOfReply = reply.duplicate();
        ByteBuffer answer = ByteBuffer.allocate(5);
        client.openReply(reply, answer);
        assertArrayEquals("reply".getBytes(), answer.array());
        assertThrows(ReplyMismatchException.class, () -> client.openReply(copyOfReply, ByteBuffer.allocate(5)));
        assertEquals(0, copyOfReply.position());
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void serverTransaction_datagramNotItsOwn_refused(boolean auth) throws Exception {
        ServerSession server = ServerSession.of(SERVER.privateKey());
        ByteBuffer first = sealed(session(auth), 94);
        ByteBuffer second = sealed(session(auth), 95);
        ServerTransaction tx = server.begin(first);
        ByteBuffer out = ByteBuffer.allocate(second.remaining());
        assertThrows(io.pssst.DecryptFailedException.class, () -> tx.openRequest(second, out),
                "keys derived for one request must not open another");
        assertEquals(0, out.position());
        assertFalse(tx.replied());
    }

    private static ByteBuffer sealed(ClientSession session, long seed) throws PssstException {
        ClientTransaction tx = session.begin(SeededRandom.of(seed));
        ByteBuffer out = ByteBuffer.allocate(tx.requestLength(4));
        tx.sealRequest(ByteBuffer.wrap("ping".getBytes()), out);
        return out.flip();
    }
}
