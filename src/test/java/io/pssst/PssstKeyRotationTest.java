package io.pssst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pssst.testing.CountingX25519;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Key rotation at the server (issue 10, item 1): it holds its current key and previous ones,
 * opens a request with the current key first and with a previous one only when the tag fails,
 * counts per key, and answers clients of either key with the key they used.
 */
class PssstKeyRotationTest {
    private static final TestKeys.Pair OLD = TestKeys.pair(401);
    private static final TestKeys.Pair OLDER = TestKeys.pair(402);
    private static final TestKeys.Pair NEW = TestKeys.pair(403);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(404);
    private static final byte[] MESSAGE = "rotate".getBytes(StandardCharsets.US_ASCII);

    private static PssstServer server(PssstX25519 x25519) throws PssstException {
        return PssstServer.create(NEW.privateKey(), List.of(OLD.privateKey(), OLDER.privateKey()), x25519);
    }

    private static PssstClient client(TestKeys.Pair serverKey, boolean auth, PssstX25519 x25519) throws PssstException {
        return (auth ? PssstClient.authenticated(serverKey.publicKey(), CLIENT.privateKey(), x25519)
                : PssstClient.anonymous(serverKey.publicKey(), x25519)).withRandom(SeededRandom.of(405));
    }

    /** Every form of opening (byte[], heap and direct buffers, in place), with each key, both modes. */
    @ParameterizedTest(name = "{0} auth={1} key={2} form={3}")
    @CsvSource({
        "JDK,false,0,array", "JDK,false,1,array", "JDK,true,2,array", "JDK,true,1,heap", "JDK,false,2,direct",
        "JDK,true,1,heapInPlace", "JDK,false,2,directInPlace", "JDK,false,1,heapInPlace",
        "BUILTIN,false,0,array", "BUILTIN,true,1,heapInPlace", "BUILTIN,false,2,directInPlace", "BUILTIN,true,2,direct"})
    void requestForAnyHeldKey_opensAndRepliesUnderThatKey(PssstX25519 x25519, boolean auth, int key, String form)
            throws Exception {
        TestKeys.Pair[] keys = {NEW, OLD, OLDER};
        PssstServer server = server(x25519);
        PackedRequest request = client(keys[key], auth, x25519).pack(MESSAGE);
        ReplySealer sealer;
        byte[] message;
        switch (form) {
            case "array": {
                ReceivedRequest r = server.open(request.datagram());
                sealer = r.replySealer();
                message = r.message();
                break;
            }
            case "heap":
            case "direct": {
                ByteBuffer out = form.equals("direct") ? ByteBuffer.allocateDirect(request.datagram().length)
                        : ByteBuffer.allocate(request.datagram().length);
                sealer = server.open(buffer(form.equals("direct"), request.datagram()), out);
                message = bytes(out.flip());
                break;
            }
            default: {
                ByteBuffer in = buffer(form.startsWith("direct"), request.datagram());
                sealer = server.openInPlace(in);
                message = bytes(in);
            }
        }
        assertArrayEquals(MESSAGE, message);
        for (int i = 0; i < 3; i++) {
            assertEquals(i == key ? 1 : 0, server.requestsOpened(i), "opened with key " + i);
        }
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII),
                request.openReply(sealer.seal("ok".getBytes(StandardCharsets.US_ASCII))));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PssstX25519.class)
    void requestForAKeyNotHeld_refusedAfterTryingEach(PssstX25519 x25519) throws Exception {
        PssstServer server = server(x25519);
        byte[] stranger = client(CLIENT, false, x25519).pack(MESSAGE).datagram();
        PssstException e = assertThrows(DecryptFailedException.class, () -> server.open(stranger));
        assertEquals(PssstException.Reason.DECRYPT_FAILED, e.reason());
        ByteBuffer inPlace = ByteBuffer.wrap(stranger.clone());
        assertThrows(DecryptFailedException.class, () -> server.openInPlace(inPlace));
        assertEquals(0, server.requestsOpened(0) + server.requestsOpened(1) + server.requestsOpened(2));
    }

    /** The cost, counted: the current key's clients pay nothing extra; an old key's, one X25519 per key before it. */
    @ParameterizedTest(name = "key {0}")
    @CsvSource({"0,1", "1,2", "2,3"})
    void x25519Count_onePerKeyTried(int key, int expected) throws Exception {
        TestKeys.Pair[] keys = {NEW, OLD, OLDER};
        PssstServer server = server(PssstX25519.JDK);
        byte[] datagram = client(keys[key], false, PssstX25519.JDK).pack(MESSAGE).datagram();
        try (CountingX25519 x = CountingX25519.install()) {
            server.open(datagram);
            assertEquals(expected, x.take());
        }
    }

    private static ByteBuffer buffer(boolean direct, byte[] datagram) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(datagram.length) : ByteBuffer.allocate(datagram.length);
        return b.put(datagram).flip();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
