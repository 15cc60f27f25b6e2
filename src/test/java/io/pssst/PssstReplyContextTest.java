package io.pssst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.testing.Race;
import io.pssst.testing.Race.Outcome;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reply contexts are single-use on both sides, also when threads race for them: of N threads
 * opening copies of the one genuine reply exactly one gets the message, and of N threads
 * sealing through one sealer exactly one gets a datagram; the others are refused cleanly.
 */
class PssstReplyContextTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(41);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(42);
    private static final int THREADS = 8;
    private static final int ROUNDS = 40;

    private static PssstClient client(boolean auth) throws PssstException {
        return auth ? PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                : PssstClient.anonymous(SERVER.publicKey());
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void client_secondReplyOrAfterDestroy_refused(boolean auth) throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        PackedRequest request = client(auth).pack("one".getBytes());
        byte[] reply = server.open(request.datagram()).seal("answer".getBytes());
        assertArrayEquals("answer".getBytes(), request.openReply(reply));
        assertThrows(ReplyMismatchException.class, () -> request.openReply(reply));
        assertThrows(ReplyMismatchException.class,
                () -> request.replyOpener().open(ByteBuffer.wrap(reply), ByteBuffer.allocate(64)));
        assertThrows(ReplyMismatchException.class,
                () -> request.replyOpener().openInPlace(ByteBuffer.wrap(reply.clone())));

        PackedRequest abandoned = client(auth).pack("two".getBytes());
        byte[] late = server.open(abandoned.datagram()).seal("late".getBytes());
        abandoned.replyOpener().destroy();
        assertThrows(ReplyMismatchException.class, () -> abandoned.openReply(late));
        assertFalse(abandoned.replyOpener().isAnswered());
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void server_secondSealOrAfterDestroy_refused(boolean auth) throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        byte[] datagram = client(auth).pack("one".getBytes()).datagram();
        ReceivedRequest received = server.open(datagram);
        received.seal("first".getBytes());
        assertTrue(received.replySealer().isAnswered());
        assertThrows(IllegalStateException.class, () -> received.seal("second".getBytes()));
        assertThrows(IllegalStateException.class,
                () -> received.replySealer().seal(ByteBuffer.wrap(new byte[1]), ByteBuffer.allocate(100)));

        ReceivedRequest dropped = server.open(datagram); // the same datagram again: a new, independent context
        dropped.replySealer().destroy();
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> dropped.seal("late".getBytes()));
        assertTrue(late.getMessage().contains("abandoned"), late.getMessage());
    }

    /**
     * N threads open copies of the one genuine reply: exactly one gets the message. With
     * forged copies racing it (every other thread), the genuine reply is still opened exactly
     * once: a forgery being refused must not shut it out.
     */
    @ParameterizedTest(name = "auth={0}, forged copies racing={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void client_threadsRaceToOpenOneReply_genuineOpensExactlyOnce(boolean auth, boolean forgeries) throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        PssstClient client = client(auth);
        List<String> failures = new ArrayList<>();
        try (Race race = new Race(THREADS)) {
            for (int round = 0; round < ROUNDS; round++) {
                PackedRequest request = client.pack(("round " + round).getBytes());
                byte[] reply = server.open(request.datagram()).seal(("reply " + round).getBytes());
                byte[] forged = reply.clone();
                forged[forged.length - 1] ^= 1;
                List<Outcome<byte[]>> outcomes = race.run(
                        t -> request.openReply(forgeries && t % 2 == 0 ? forged.clone() : reply.clone()));
                int winners = 0;
                for (int t = 0; t < outcomes.size(); t++) {
                    Outcome<byte[]> o = outcomes.get(t);
                    boolean forger = forgeries && t % 2 == 0;
                    if (o.ok()) {
                        winners++;
                        if (forger || !new String(o.value()).equals("reply " + round)) {
                            failures.add("round " + round + ", thread " + t + ": opened a forgery or a wrong message");
                        }
                    } else if (!(o.thrown() instanceof ReplyMismatchException)
                            && !(forger && o.thrown() instanceof DecryptFailedException)) {
                        failures.add("round " + round + ", thread " + t + ": " + o.thrown());
                    }
                }
                if (winners != 1 || !request.replyOpener().isAnswered()) {
                    failures.add("round " + round + ": " + winners + " threads opened the genuine reply");
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void server_threadsRaceToSealOneReply_exactlyOneWins(boolean auth) throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        PssstClient client = client(auth);
        List<String> failures = new ArrayList<>();
        try (Race race = new Race(THREADS)) {
            for (int round = 0; round < ROUNDS; round++) {
                PackedRequest request = client.pack(("round " + round).getBytes());
                ReplySealer sealer = server.open(request.datagram()).replySealer();
                List<Outcome<byte[]>> outcomes = race.run(t -> sealer.seal(("thread " + t).getBytes()));
                int winner = -1;
                for (int t = 0; t < outcomes.size(); t++) {
                    Outcome<byte[]> o = outcomes.get(t);
                    if (o.ok()) {
                        if (winner >= 0) {
                            failures.add("round " + round + ": threads " + winner + " and " + t + " both sealed");
                        }
                        winner = t;
                    } else if (!(o.thrown() instanceof IllegalStateException)) {
                        failures.add("round " + round + ": " + o.thrown());
                    }
                }
                if (winner < 0) {
                    failures.add("round " + round + ": nobody sealed");
                } else if (!new String(request.openReply(outcomes.get(winner).value())).equals("thread " + winner)) {
                    failures.add("round " + round + ": the winner's reply does not open to its message");
                }
            }
        }
        assertEquals(List.of(), failures);
    }
}
