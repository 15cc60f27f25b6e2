package io.pssst.fuzz;

import static io.pssst.fuzz.Buffers.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.channel.PssstChannelStats;
import io.pssst.channel.PssstClientPolicy;
import io.pssst.channel.PssstPendingRequest;
import io.pssst.channel.PssstServerChannel;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link PssstServerChannel}'s receive path on fuzzed datagrams, through a
 * {@link FakeDatagramChannel}: blocking and non-blocking, {@code receive} and
 * {@code receiveRequest}, each client policy, room enough or too little. The input is a
 * configuration byte, a byte of receive-buffer room, then operations, each putting one
 * datagram on the fake's queue: fuzzed bytes, or a real request (anonymous, from an admitted
 * or another authenticated client) as it is, with a byte changed, cut short, replayed, or from
 * a source no reply can reach.
 *
 * <p>What must hold: nothing escapes a receive but the end of the input; every datagram read
 * is counted ({@code datagramsReceived} = datagrams handed out = requests accepted + dropped,
 * from {@link PssstChannelStats}); every real request the policy admits, from an answerable
 * source, is delivered with its message (truncated to the room) and its reply, sent through
 * the channel, opens at its client; nothing else is delivered; a receive that delivers nothing
 * leaves the caller's buffer as it was or zeroed, never with plaintext.
 */
class ServerChannelFuzzTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(0x5e7e);
    private static final TestKeys.Pair ADMITTED = TestKeys.pair(0xad);
    private static final TestKeys.Pair OTHER = TestKeys.pair(0x07);
    private static final SocketAddress[] PEERS = {new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_001),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_002), loopback("::1", 40_003)};
    private static final SocketAddress UNANSWERABLE = loopback("0.0.0.0", 40_004);
    private static final int MAX_OPS = 24;

    /** One datagram put on the queue, and what the channel must do with it. */
    private record Sent(byte[] datagram, SocketAddress from, PackedRequest genuine, byte[] message, boolean admitted) {
    }

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void receive_fuzzedDatagrams_everyOneCountedOnlyGenuineDelivered(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        int config = in.u8();
        int roomByte = in.u8();
        boolean blocking = (config & 1) != 0;
        boolean explicit = (config & 2) != 0;
        int policyKind = config >> 2 & 3;
        int room = (config & 0x10) != 0 ? roomByte : 2048;
        PssstClientPolicy policy = switch (policyKind) {
            case 1 -> PssstClientPolicy.authenticationRequired();
            case 2 -> PssstClientPolicy.allowList(List.of(ADMITTED.publicKey()));
            default -> PssstClientPolicy.anonymousAllowed();
        };
        SeededRandom random = SeededRandom.of(config << 8 | roomByte);
        PssstClient anonymous = PssstClient.anonymous(SERVER.publicKey()).withRandom(random);
        PssstClient admitted = PssstClient.authenticated(SERVER.publicKey(), ADMITTED.privateKey()).withRandom(random);
        PssstClient other = PssstClient.authenticated(SERVER.publicKey(), OTHER.privateKey()).withRandom(random);

        FakeDatagramChannel inner = new FakeDatagramChannel(blocking);
        List<Sent> queued = new ArrayList<>();
        Sent last = null;
        for (int op = 0; op < MAX_OPS && in.remaining() > 0; op++) {
            int kind = in.u8();
            SocketAddress from = PEERS[(kind >> 4) % PEERS.length];
            Sent s;
            switch (kind & 7) {
                case 0 -> s = new Sent(in.chunk(), from, null, null, false);
                case 1, 2, 3 -> {
                    PssstClient c = (kind & 7) == 1 ? anonymous : (kind & 7) == 2 ? admitted : other;
                    byte[] message = in.bytes(in.u8());
                    PackedRequest p = c.pack(message);
                    boolean ok = c == anonymous ? policyKind != 1 && policyKind != 2 : c == admitted || policyKind != 2;
                    s = new Sent(p.datagram(), from, p, message, ok);
                }
                case 4 -> s = last == null ? null : changed(last, in.u16(), in.u8() | 1);
                case 5 -> s = last == null ? null
                        : new Sent(Arrays.copyOf(last.datagram, in.u16() % Math.max(1, last.datagram.length)), from,
                                null, null, false);
                case 6 -> s = last == null ? null : new Sent(last.datagram, UNANSWERABLE, null, null, false);
                default -> s = last == null ? null : new Sent(last.datagram, from, null, last.message, last.admitted);
            }
            if (s != null) {
                inner.queue(s.datagram, s.from);
                queued.add(s);
                if (s.genuine != null) {
                    last = s;
                }
            }
        }

        try (PssstServerChannel server = PssstServerChannel.builder(SERVER.privateKey()).clientPolicy(policy)
                .maxPendingReplies(64).wrap(inner)) {
            int delivered = serve(server, inner, queued, room, explicit);
            PssstChannelStats st = server.stats();
            check(st.datagramsReceived() == inner.handedOut(), "datagrams read " + inner.handedOut() + ", counted "
                    + st.datagramsReceived());
            check(st.datagramsReceived() == st.requestsAccepted() + st.droppedTotal(),
                    "received != accepted + dropped: " + st);
            long expected = queued.stream().filter(s -> s.admitted && s.from != UNANSWERABLE).count();
            check(delivered == expected, "delivered " + delivered + " of " + expected + " admitted requests: " + st);
            check(inner.drained(), "datagrams left unread");
        }
    }

    /** Receives until the input is used up; answers each request; returns how many were delivered. */
    private static int serve(PssstServerChannel server, FakeDatagramChannel inner, List<Sent> queued, int room,
            boolean explicit) throws Exception {
        int delivered = 0;
        for (int round = 0; round <= queued.size() + 1; round++) {
            ByteBuffer dst = Buffers.place(new byte[0], 3, room, round % 2 == 0);
            byte[] before = Buffers.all(dst);
            SocketAddress from;
            PssstPendingRequest pending = null;
            try {
                if (explicit) {
                    pending = server.receiveRequest(dst);
                    from = pending == null ? null : pending.sender();
                } else {
                    from = server.receive(dst);
                }
            } catch (FakeDatagramChannel.Exhausted end) {
                from = null;
            }
            if (from == null) {
                check(dst.position() == 3 && Buffers.originalOrZero(before, Buffers.all(dst), 0, before.length),
                        "a receive that delivered nothing changed the buffer (plaintext left?)");
                if (inner.drained()) {
                    return delivered;
                }
                continue;
            }
            Sent s = queued.get(inner.handedOut() - 1);
            check(s.message != null && s.admitted && s.from.equals(from), "delivered a datagram that is not an admitted request");
            int n = dst.position() - 3;
            check(n == Math.min(room, s.message.length) && Arrays.equals(Buffers.range(dst, 3, 3 + n),
                    Arrays.copyOf(s.message, n)), "delivered another message than the request's");
            delivered++;
            byte[] reply = ("re:" + delivered).getBytes(StandardCharsets.US_ASCII);
            int sentBefore = inner.sent().size();
            if (pending != null) {
                pending.reply(ByteBuffer.wrap(reply));
            } else {
                server.send(ByteBuffer.wrap(reply), from);
            }
            List<FakeDatagramChannel.Datagram> sent = inner.sent();
            check(sent.size() == sentBefore + 1 && sent.get(sentBefore).from().equals(from), "the reply was not sent to the sender");
            if (s.genuine != null) {
                check(Arrays.equals(s.genuine.openReply(sent.get(sentBefore).data()), reply), "the reply did not open");
            }
        }
        throw new AssertionError("the receive loop did not end");
    }

    private static Sent changed(Sent s, int at, int xor) {
        byte[] d = s.datagram.clone();
        d[at % d.length] ^= (byte) xor;
        return new Sent(d, s.from, null, null, false);
    }

    private static SocketAddress loopback(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port); // literals: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
