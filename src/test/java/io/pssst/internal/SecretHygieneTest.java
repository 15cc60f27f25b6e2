package io.pssst.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstClient;
import io.pssst.PssstKeys;
import io.pssst.PssstServer;
import io.pssst.PssstX25519;
import io.pssst.ReplySealer;
import io.pssst.testing.Race;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets the engine holds are wiped when their owner is done (issue 8, item 4): an
 * authenticated client's static secret CS = X25519(c, S), a bearer credential, when the
 * client is destroyed; and an authenticated request's proof C || e when it is opened in
 * place.
 */
class SecretHygieneTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(301);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(302);

    @ParameterizedTest(name = "{0}")
    @EnumSource(PssstX25519.class)
    void clientSession_close_wipesStaticSecretAndRefusesBegin(PssstX25519 x25519) throws Exception {
        ClientSession session = ClientSession.authenticated(SERVER.publicKey(), CLIENT.privateKey(), x25519);
        assertFalse(session.staticSecretWiped());
        session.close();
        assertTrue(session.staticSecretWiped(), "CS wiped on close");
        assertThrows(IllegalStateException.class, () -> session.begin(SeededRandom.of(1)));
    }

    @Test
    void pssstClient_destroy_refusesPack_earlierRequestsStillOpen() throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        PssstClient client = PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey());
        var request = client.pack("before".getBytes(StandardCharsets.US_ASCII));
        client.destroy();
        assertTrue(client.isDestroyed());
        assertThrows(IllegalStateException.class, () -> client.pack(new byte[1]));
        byte[] reply = server.open(request.datagram()).seal("ok".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), request.openReply(reply));
    }

    /** Destroying a client while other threads pack: each request is whole and opens, or pack is refused. */
    @Test
    void clientSession_closeRacingBegin_requestsValidOrRefused() throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        int rounds = 300;
        ClientSession[] sessions = new ClientSession[rounds];
        for (int i = 0; i < rounds; i++) {
            sessions[i] = ClientSession.authenticated(SERVER.publicKey(), CLIENT.privateKey());
        }
        byte[][] requests = new byte[rounds][];
        AtomicInteger refused = new AtomicInteger();
        Race.pairs(rounds, i -> {
            try {
                ClientTransaction tx = sessions[i].begin(SeededRandom.of(i));
                ByteBuffer out = ByteBuffer.allocate(tx.requestLength(2));
                tx.sealRequest(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)), out);
                requests[i] = out.array();
            } catch (IllegalStateException e) {
                refused.incrementAndGet();
            }
        }, i -> sessions[i].close());
        int opened = 0;
        for (byte[] r : requests) {
            if (r != null) {
                var received = server.open(r); // throws if CS was wiped under begin: the proof or tag fails
                assertArrayEquals(CLIENT.rawPublic(), PssstKeys.toRaw(received.clientKey().orElseThrow()));
                opened++;
            }
        }
        assertEquals(rounds, opened + refused.get());
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void openInPlace_authenticated_proofZeroed(boolean direct) throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        byte[] message = "in place".getBytes(StandardCharsets.US_ASCII);
        byte[] datagram = PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                .withRandom(SeededRandom.of(303)).pack(message).datagram();
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(datagram.length) : ByteBuffer.allocate(datagram.length);
        buf.put(datagram).flip();
        ReplySealer sealer = server.openInPlace(buf);
        assertEquals(Wire.PREFIX_LENGTH + Wire.CLIENT_PROOF_LENGTH, buf.position());
        byte[] m = new byte[buf.remaining()];
        buf.duplicate().get(m);
        assertArrayEquals(message, m);
        byte[] proofRegion = new byte[Wire.CLIENT_PROOF_LENGTH];
        buf.get(Wire.PREFIX_LENGTH, proofRegion);
        assertTrue(X25519.isAllZero(proofRegion), "C || e left in the buffer before the message");
        assertFalse(sealer.isAnswered());
    }
}
