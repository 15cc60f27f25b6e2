package io.pssst.fuzz;

import static io.pssst.fuzz.Buffers.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pssst.PssstClient;
import io.pssst.PssstServer;
import io.pssst.ReceivedRequest;
import io.pssst.channel.PssstChannelStats;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstReply;
import io.pssst.channel.PssstRequestId;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link PssstClientChannel}'s receive path on fuzzed datagrams, through a
 * {@link FakeDatagramChannel}: blocking and non-blocking, {@code receive} (after {@code send})
 * and {@code receiveReply} (after {@code sendRequest}), anonymous and authenticated, room
 * enough or too little. The input is a configuration byte, a byte of receive-buffer room,
 * then operations, each putting one datagram on the fake's queue: fuzzed bytes, or the real
 * reply to one of the requests the channel sent (a real server opened it) as it is, with a
 * byte changed, cut short, replayed, or the request itself echoed back, or a real reply to a
 * request this channel never sent.
 *
 * <p>What must hold: nothing escapes a receive but the end of the input; every datagram read
 * is counted ({@code datagramsReceived} = handed out = replies accepted + dropped); the first
 * genuine reply to each request is delivered, with its message (truncated to the room) and,
 * from {@code receiveReply}, the id of its request; nothing else is delivered (a second copy is
 * a duplicate); a receive that delivers nothing leaves the caller's buffer as it was or
 * zeroed.
 */
class ClientChannelFuzzTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(0x5e7e);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(0xc1);
    private static final PssstServer SERVER_ENGINE = server();
    private static final SocketAddress SERVER_ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7667);
    private static final int MAX_OPS = 24;

    private record Queued(byte[] datagram, int answers, byte[] message) {
    }

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void receive_fuzzedDatagrams_everyOneCountedOnlyFirstGenuineReplyDelivered(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        int config = in.u8();
        int roomByte = in.u8();
        boolean blocking = (config & 1) != 0;
        boolean explicit = (config & 2) != 0;
        boolean auth = (config & 4) != 0;
        int requests = 1 + (config >> 3 & 3);
        int room = (config & 0x20) != 0 ? roomByte : 2048;

        FakeDatagramChannel inner = new FakeDatagramChannel(blocking);
        PssstClientChannel.Builder b = PssstClientChannel.builder(SERVER.publicKey())
                .random(SeededRandom.of(config)).retryPolicy(PssstRetryPolicy.noRetransmission(Duration.ofMinutes(5)));
        if (auth) {
            b.clientKey(CLIENT.privateKey());
        }
        try (PssstClientChannel client = b.wrap(inner)) {
            List<PssstRequestId> ids = new ArrayList<>();
            List<byte[]> replies = new ArrayList<>();
            List<byte[]> replyMessages = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                ByteBuffer m = ByteBuffer.wrap(("request " + i).getBytes(StandardCharsets.US_ASCII));
                if (explicit) {
                    ids.add(client.sendRequest(m, SERVER_ADDRESS));
                } else {
                    check(client.send(m, SERVER_ADDRESS) == m.capacity(), "send did not send");
                }
                byte[] request = inner.sent().get(i).data();
                ReceivedRequest r = SERVER_ENGINE.open(request);
                byte[] replyMessage = ("reply " + i + " to " + new String(r.message(), StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                replies.add(r.seal(replyMessage));
                replyMessages.add(replyMessage);
            }
            List<Queued> queued = queue(in, inner, replies, replyMessages, inner.sent());
            int delivered = receiveAll(client, inner, queued, room, explicit, ids);
            PssstChannelStats st = client.stats();
            check(st.datagramsReceived() == inner.handedOut(), "datagrams read " + inner.handedOut() + ", counted "
                    + st.datagramsReceived());
            check(st.datagramsReceived() == st.repliesAccepted() + st.droppedTotal(),
                    "received != accepted + dropped: " + st);
            long firsts = queued.stream().filter(q -> q.answers >= 0).mapToInt(Queued::answers).distinct().count();
            check(delivered == firsts, "delivered " + delivered + " replies, expected " + firsts + ": " + st);
            check(client.outstandingRequests() == requests - delivered, "outstanding requests miscounted");
        }
    }

    private static List<Queued> queue(FuzzInput in, FakeDatagramChannel inner, List<byte[]> replies,
            List<byte[]> replyMessages, List<FakeDatagramChannel.Datagram> requests) throws Exception {
        List<Queued> queued = new ArrayList<>();
        for (int op = 0; op < MAX_OPS && in.remaining() > 0; op++) {
            int kind = in.u8();
            int k = (kind >> 4) % replies.size();
            byte[] reply = replies.get(k);
            Queued q = switch (kind & 7) {
                case 0 -> new Queued(in.chunk(), -1, null);
                case 1, 2 -> new Queued(reply, k, replyMessages.get(k)); // genuine (or a copy of it)
                case 3 -> {
                    byte[] d = reply.clone();
                    d[in.u16() % d.length] ^= (byte) (in.u8() | 1);
                    yield new Queued(d, -1, null);
                }
                case 4 -> new Queued(Arrays.copyOf(reply, in.u16() % reply.length), -1, null);
                case 5 -> new Queued(requests.get(k).data(), -1, null); // the request echoed back
                case 6 -> new Queued(strangerReply(in.u8()), -1, null);
                default -> {
                    byte[] d = reply.clone();
                    d[in.u8() % 4] = (byte) in.u8(); // the header: flags and suite
                    yield new Queued(d, Arrays.equals(d, reply) ? k : -1, Arrays.equals(d, reply) ? replyMessages.get(k) : null);
                }
            };
            inner.queue(q.datagram, SERVER_ADDRESS);
            queued.add(q);
        }
        return markDuplicates(queued);
    }

    /** Only the first copy of each genuine reply answers its request; later copies are duplicates. */
    private static List<Queued> markDuplicates(List<Queued> queued) {
        Set<Integer> answered = new HashSet<>();
        List<Queued> out = new ArrayList<>();
        for (Queued q : queued) {
            out.add(q.answers >= 0 && !answered.add(q.answers) ? new Queued(q.datagram, -1, null) : q);
        }
        return out;
    }

    private static int receiveAll(PssstClientChannel client, FakeDatagramChannel inner, List<Queued> queued, int room,
            boolean explicit, List<PssstRequestId> ids) throws Exception {
        int delivered = 0;
        for (int round = 0; round <= queued.size() + 1; round++) {
            ByteBuffer dst = Buffers.place(new byte[0], 5, room, round % 2 == 1);
            byte[] before = Buffers.all(dst);
            SocketAddress from;
            PssstReply event = null;
            try {
                if (explicit) {
                    event = client.receiveReply(dst);
                    check(event == null || !event.isTimeout(), "a request timed out during the run");
                    from = event == null ? null : event.sender();
                } else {
                    from = client.receive(dst);
                }
            } catch (FakeDatagramChannel.Exhausted end) {
                from = null;
            }
            if (from == null) {
                check(dst.position() == 5 && Buffers.originalOrZero(before, Buffers.all(dst), 0, before.length),
                        "a receive that delivered nothing changed the buffer (plaintext left?)");
                if (inner.drained()) {
                    return delivered;
                }
                continue;
            }
            Queued q = queued.get(inner.handedOut() - 1);
            check(q.answers >= 0 && SERVER_ADDRESS.equals(from), "delivered a datagram that is not a first genuine reply");
            int n = dst.position() - 5;
            check(n == Math.min(room, q.message.length)
                    && Arrays.equals(Buffers.range(dst, 5, 5 + n), Arrays.copyOf(q.message, n)),
                    "delivered another message than the reply's");
            if (event != null) {
                check(event.requestId().equals(ids.get(q.answers)) && event.length() == n,
                        "receiveReply named another request, or another length");
            }
            delivered++;
        }
        throw new AssertionError("the receive loop did not end");
    }

    /** A real reply, for this server key, to a request some other client sent. */
    private static byte[] strangerReply(int seed) throws Exception {
        // Seeds apart from the channel's (SeededRandom.of(config)): the same seed would draw the
        // channel's own ephemeral key, and so make the reply to its own request.
        PssstClient stranger = PssstClient.anonymous(SERVER.publicKey()).withRandom(SeededRandom.of(0x57a_0000L + seed));
        return SERVER_ENGINE.open(stranger.pack(new byte[] {1}).datagram()).seal(new byte[] {2});
    }

    private static PssstServer server() {
        try {
            return PssstServer.create(SERVER.privateKey());
        } catch (io.pssst.InvalidKeyMaterialException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
