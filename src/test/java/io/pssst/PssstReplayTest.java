package io.pssst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server answers a replayed request again (PROTOCOL.md: no replay detection at the server;
 * requests are idempotent): the same request opened and answered several times in a row on
 * one thread gives the same reply each time. (The built-in backend reuses one AES-GCM
 * {@code Cipher} per thread, and the JDK's refuses to encrypt twice in a row with one key and
 * nonce: the engine must not pass that refusal on.)
 */
class PssstReplayTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(501);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(502);

    @ParameterizedTest(name = "{0}")
    @EnumSource(PssstX25519.class)
    void replayedRequest_answeredAgainWithTheSameReply(PssstX25519 x25519) throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey(), x25519);
        byte[] answer = "same answer".getBytes(StandardCharsets.US_ASCII);
        for (PssstClient client : new PssstClient[] {PssstClient.anonymous(SERVER.publicKey(), x25519),
                PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey(), x25519)}) {
            PackedRequest request = client.pack("once".getBytes(StandardCharsets.US_ASCII));
            byte[] first = server.open(request.datagram()).seal(answer);
            for (int replay = 0; replay < 3; replay++) {
                assertArrayEquals(first, server.open(request.datagram()).seal(answer), "replay " + replay);
                ByteBuffer out = ByteBuffer.allocateDirect(first.length);
                server.open(ByteBuffer.wrap(request.datagram()), ByteBuffer.allocate(request.datagram().length)).seal(ByteBuffer.wrap(answer), out);
                assertArrayEquals(first, bytes(out.flip()), "replay " + replay + ", buffers");
            }
            assertArrayEquals(answer, request.openReply(first));
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
