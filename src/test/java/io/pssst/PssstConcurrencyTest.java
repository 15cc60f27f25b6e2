package io.pssst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.internal.Bytes;
import io.pssst.testing.Race;
import io.pssst.testing.Race.Outcome;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * One {@link PssstClient} per mode and one {@link PssstServer}, shared by 16 threads doing 200
 * complete transactions each (anonymous and authenticated, byte[] and buffer paths mixed),
 * every message and client key verified, every request id distinct.
 */
class PssstConcurrencyTest {
    private static final int THREADS = 16;
    private static final int TRANSACTIONS = 200;
    private static final TestKeys.Pair SERVER = TestKeys.pair(51);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(52);

    @Test
    void sharedClientsAndServer_manyThreads_everyTransactionVerified() throws Exception {
        PssstClient anonymous = PssstClient.anonymous(SERVER.publicKey());
        PssstClient authenticated = PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey());
        PssstServer server = PssstServer.create(SERVER.privateKey());
        byte[] clientKey = CLIENT.rawPublic();
        Set<String> requestIds = ConcurrentHashMap.newKeySet();

        List<Outcome<Integer>> outcomes;
        try (Race race = new Race(THREADS)) {
            outcomes = race.run(thread -> {
                SplittableRandom r = new SplittableRandom(thread);
                int verified = 0;
                for (int i = 0; i < TRANSACTIONS; i++) {
                    boolean auth = (i + thread) % 2 == 0;
                    byte[] message = TestKeys.bytes(r, r.nextInt(600));
                    byte[] answer = TestKeys.bytes(r, r.nextInt(600));
                    PssstClient client = auth ? authenticated : anonymous;
                    byte[] seen;
                    byte[] opened;
                    ReplySealer sealer;
                    PackedRequest packed = client.pack(message);
                    if (i % 3 == 0) {
                        ByteBuffer out = ByteBuffer.allocateDirect(packed.datagram().length);
                        sealer = server.open(ByteBuffer.wrap(packed.datagram()), out);
                        seen = new byte[out.flip().remaining()];
                        out.get(seen);
                        ByteBuffer reply = ByteBuffer.allocate(sealer.replyLength(answer.length));
                        sealer.seal(ByteBuffer.wrap(answer), reply);
                        ByteBuffer in = reply.flip();
                        packed.replyOpener().openInPlace(in);
                        opened = new byte[in.remaining()];
                        in.get(opened);
                    } else {
                        ReceivedRequest received = server.open(packed.datagram());
                        seen = received.message();
                        sealer = received.replySealer();
                        opened = packed.openReply(received.seal(answer));
                    }
                    if (!Arrays.equals(message, seen) || !Arrays.equals(answer, opened)) {
                        throw new AssertionError("thread " + thread + ", transaction " + i + ": wrong message");
                    }
                    if (auth != sealer.clientKey().isPresent()
                            || auth && !Arrays.equals(clientKey, PssstKeys.toRaw(sealer.clientKey().orElseThrow()))) {
                        throw new AssertionError("thread " + thread + ", transaction " + i + ": wrong client key");
                    }
                    if (!requestIds.add(Bytes.hex(packed.replyOpener().requestId()))) {
                        throw new AssertionError("thread " + thread + ", transaction " + i + ": request id repeated");
                    }
                    verified++;
                }
                return verified;
            });
        }
        List<String> failures = new ArrayList<>();
        int verified = 0;
        for (Outcome<Integer> o : outcomes) {
            if (o.ok()) {
                verified += o.value();
            } else {
                failures.add(String.valueOf(o.thrown()));
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(THREADS * TRANSACTIONS, verified, "transactions verified");
        assertEquals(THREADS * TRANSACTIONS, requestIds.size(), "distinct request ids");
    }
}
