package io.pssst.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstServer;
import io.pssst.ReceivedRequest;
import io.pssst.ReplyMismatchException;
import io.pssst.testing.Race;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Destroying a transaction while another thread uses its keys (issue 8, item 1): the keys are
 * either used once, as they are, or the step is refused. They are never used half-wiped or
 * wiped: a reply sealed under the all-zero key and nonce 0^8 || "RPLY" would be readable by
 * anyone. Each race runs many thousands of rounds with the two threads released together.
 */
class KeyWipeRaceTest {
    private static final int ROUNDS = 100_000;
    private static final byte[] DH = filled(32, 7);
    private static final byte[] SHARED = filled(32, 9);
    private static final byte[] MESSAGE = "the reply".getBytes(StandardCharsets.US_ASCII);
    /** The transactions' server (its key derives none of their keys here: they are given fixed ones). */
    private static final ServerSession SESSION = session();

    private static ServerSession session() {
        try {
            return ServerSession.of(TestKeys.pair(200).privateKey());
        } catch (PssstException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    /** A transaction whose request (sealed by a client with the same keys) is opened. */
    private static ServerTransaction openedServerTransaction(ByteBuffer request) throws PssstException {
        ServerTransaction tx = new ServerTransaction(SESSION, 0, DH.clone(), TransactionKeys.derive(DH, SHARED));
        tx.openRequest(request.duplicate(), ByteBuffer.allocate(request.remaining()));
        return tx;
    }

    private static ByteBuffer request() {
        ClientTransaction client = new ClientTransaction(0, DH.clone(), TransactionKeys.derive(DH, SHARED));
        ByteBuffer out = ByteBuffer.allocate(client.requestLength(4));
        client.sealRequest(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), out);
        return out.flip();
    }

    private static byte[] sealReply(ServerTransaction tx) {
        ByteBuffer out = ByteBuffer.allocate(tx.replyLength(MESSAGE.length));
        tx.sealReply(ByteBuffer.wrap(MESSAGE), out);
        return out.array();
    }

    @Test
    void sealReply_racingDestroy_genuineReplyOrRefused() throws Exception {
        ByteBuffer request = request();
        byte[] genuine = sealReply(openedServerTransaction(request));
        ServerTransaction[] txs = new ServerTransaction[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            txs[i] = openedServerTransaction(request);
        }
        byte[][] sealed = new byte[ROUNDS][];
        int[] refused = new int[1];
        Race.pairs(ROUNDS, i -> {
            try {
                sealed[i] = sealReply(txs[i]);
            } catch (IllegalStateException e) {
                refused[0]++;
            }
        }, i -> txs[i].destroy());
        int wrong = 0;
        for (int i = 0; i < ROUNDS; i++) {
            if (sealed[i] != null && !Arrays.equals(genuine, sealed[i])) {
                wrong++;
            }
        }
        assertEquals(0, wrong, "replies sealed with keys other than the transaction's (wiped under the sealer)");
        assertEquals(ROUNDS, refused[0] + countNonNull(sealed), "every round sealed or refused");
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void sealRequest_racingDestroy_genuineRequestOrRefused(boolean auth) throws Exception {
        byte[] proof = auth ? filled(Wire.CLIENT_PROOF_LENGTH, 5) : null;
        int flags = auth ? Wire.FLAG_CLIENT_AUTH : 0;
        ClientTransaction[] txs = new ClientTransaction[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            txs[i] = new ClientTransaction(flags, DH.clone(), TransactionKeys.derive(DH, SHARED, proof == null ? null : proof.clone(), Primitives.PER_OPERATION));
        }
        byte[] genuine = sealRequest(new ClientTransaction(flags, DH.clone(), TransactionKeys.derive(DH, SHARED, proof == null ? null : proof.clone(), Primitives.PER_OPERATION)));
        byte[][] sealed = new byte[ROUNDS][];
        Race.pairs(ROUNDS, i -> {
            try {
                sealed[i] = sealRequest(txs[i]);
            } catch (IllegalStateException e) {
                // refused: destroyed first
            }
        }, i -> txs[i].destroy());
        for (int i = 0; i < ROUNDS; i++) {
            if (sealed[i] != null) {
                assertArrayEquals(genuine, sealed[i], "round " + i + ": a request sealed with wiped keys or proof");
            }
        }
    }

    private static byte[] sealRequest(ClientTransaction tx) {
        ByteBuffer out = ByteBuffer.allocate(tx.requestLength(MESSAGE.length));
        tx.sealRequest(ByteBuffer.wrap(MESSAGE), out);
        return out.array();
    }

    @Test
    void openReply_racingDestroy_messageOrAbandoned() throws Exception {
        byte[] reply = sealReply(openedServerTransaction(request()));
        ClientTransaction[] txs = new ClientTransaction[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            txs[i] = new ClientTransaction(0, DH.clone(), TransactionKeys.derive(DH, SHARED));
            txs[i].sealRequest(ByteBuffer.allocate(0), ByteBuffer.allocate(txs[i].requestLength(0)));
        }
        String[] outcome = new String[ROUNDS];
        Race.pairs(ROUNDS, i -> {
            ByteBuffer out = ByteBuffer.allocate(MESSAGE.length);
            try {
                txs[i].openReply(ByteBuffer.wrap(reply), out);
                outcome[i] = Arrays.equals(MESSAGE, out.array()) ? "opened" : "wrong plaintext";
            } catch (ReplyMismatchException e) {
                outcome[i] = "abandoned";
            } catch (PssstException e) {
                outcome[i] = e.reason().wireName();
            }
        }, i -> txs[i].destroy());
        for (int i = 0; i < ROUNDS; i++) {
            if (!"opened".equals(outcome[i]) && !"abandoned".equals(outcome[i])) {
                fail("round " + i + ": " + outcome[i] + " (the keys were wiped under the opener)");
            }
        }
    }

    /** The race as a user meets it: {@code ReplySealer.seal} on one thread, {@code destroy} on another. */
    @Test
    void replySealer_sealRacingDestroy_replyOpensOrSealRefused() throws Exception {
        TestKeys.Pair server = TestKeys.pair(201);
        PssstServer pssstServer = PssstServer.create(server.privateKey());
        byte[] datagram = PssstClient.anonymous(server.publicKey()).withRandom(SeededRandom.of(202))
                .pack("ping".getBytes(StandardCharsets.US_ASCII)).datagram();
        int rounds = 5_000;
        ReceivedRequest[] received = new ReceivedRequest[rounds];
        for (int i = 0; i < rounds; i++) {
            received[i] = pssstServer.open(datagram);
        }
        byte[] genuine = received[0].seal(MESSAGE);
        byte[][] sealed = new byte[rounds][];
        Race.pairs(rounds - 1, i -> {
            try {
                sealed[i + 1] = received[i + 1].seal(MESSAGE);
            } catch (IllegalStateException e) {
                // refused
            }
        }, i -> received[i + 1].replySealer().destroy());
        for (int i = 1; i < rounds; i++) {
            if (sealed[i] != null) {
                assertArrayEquals(genuine, sealed[i], "round " + i);
            }
        }
        assertTrue(countNonNull(sealed) > 0, "no round sealed: the race never let the sealer go first");
    }

    private static int countNonNull(byte[][] a) {
        int n = 0;
        for (byte[] b : a) {
            if (b != null) {
                n++;
            }
        }
        return n;
    }
}
