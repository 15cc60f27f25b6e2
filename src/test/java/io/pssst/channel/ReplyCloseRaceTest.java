package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.testing.Race;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server channel closed while another thread seals a reply: closing wipes every reply
 * context, including one being sealed (issue 8, item 1). Whatever reaches the client must be
 * the genuine reply, which its opener accepts. (On the old code this path happened to be
 * safe: close() shuts the socket before it wipes the contexts, so a reply sealed under wiped
 * keys could no longer be sent. The engine no longer relies on that order; this test keeps
 * the channel honest should it ever change.) It also caught close() clearing a context that
 * a replying thread had claimed, which then failed with a NullPointerException: once in a CI
 * run; {@code ReplyContextsTest} shows that case deterministically.
 *
 * <p>Which side wins depends on the machine, so the closing thread starts after a delay that
 * sweeps from nothing to longer than a reply takes: every run sees the close both first and
 * last, and the overlaps in between.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplyCloseRaceTest {
    private static final int ROUNDS = 300;
    /** The closer's head start is taken away in steps of this, up to {@code STEPS - 1} of them. */
    private static final long DELAY_STEP_NANOS = 5_000;
    private static final int STEPS = 30;

    @Test
    void reply_racingClose_genuineOrNothing() throws Exception {
        PssstClient client = PssstClient.anonymous(Loopback.serverPublic());
        byte[] answer = "answer".getBytes(StandardCharsets.US_ASCII);
        int delivered = 0;
        try (DatagramChannel wire = DatagramChannel.open().bind(any("127.0.0.1"))) {
            wire.configureBlocking(false);
            for (int round = 0; round < ROUNDS; round++) {
                PackedRequest request = client.pack(utf8("q").array());
                PssstServerChannel server = PssstServerChannel.builder(Loopback.serverPrivate()).open();
                server.bind(any("127.0.0.1"));
                wire.send(ByteBuffer.wrap(request.datagram()), server.getLocalAddress());
                PssstPendingRequest pending = server.receiveRequest(ByteBuffer.allocate(16));
                long delay = (round % STEPS) * DELAY_STEP_NANOS;
                Race.pairs(1, i -> {
                    try {
                        pending.reply(ByteBuffer.wrap(answer));
                    } catch (IOException e) {
                        // closed first: refused
                    }
                }, i -> {
                    spinFor(delay);
                    server.close();
                });
                byte[] reply = receiveSoon(wire);
                if (reply != null) {
                    try {
                        assertArrayEquals(answer, request.openReply(reply));
                    } catch (PssstException e) {
                        throw new AssertionError("round " + round + ": a reply the client refuses (" + e.getMessage()
                                + "): sealed under wiped keys?", e);
                    }
                    delivered++;
                }
            }
        }
        assertTrue(delivered > 0, "no reply went out in " + ROUNDS + " rounds: the race never let the reply first");
        assertTrue(delivered < ROUNDS, "every reply went out in " + ROUNDS + " rounds: the close never came first");
    }

    /** Busy-waits (a sleep would be far coarser than the race's window). */
    private static void spinFor(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** The reply, if one was sent: by the time the race ends it is in the socket's buffer or nowhere. */
    private static byte[] receiveSoon(DatagramChannel wire) throws IOException, InterruptedException {
        ByteBuffer b = ByteBuffer.allocate(256);
        for (int i = 0; i < 20 && wire.receive(b) == null; i++) {
            Thread.sleep(1);
        }
        return b.position() == 0 ? null : Arrays.copyOf(b.array(), b.position());
    }
}
