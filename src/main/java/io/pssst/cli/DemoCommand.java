package io.pssst.cli;

import io.pssst.PssstClient;
import io.pssst.PssstKeys;
import io.pssst.PssstX25519;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstClientPolicy;
import io.pssst.channel.PssstReply;
import io.pssst.channel.PssstRequestId;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.channel.PssstTimeoutException;
import io.pssst.internal.Wire;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code pssst demo}: PSSST end to end in one process on loopback, in a few seconds. Exits 0
 * only if every step behaved.
 */
final class DemoCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec().values("--seconds", "--x25519").positional(0, 0);
    /** Demo clients: 250 ms per attempt, up to 4 attempts. */
    private static final PssstRetryPolicy RETRY =
            PssstRetryPolicy.of(Duration.ofMillis(250), 2.0, Duration.ofSeconds(1), 4);

    DemoCommand() {
        super("demo", "see PSSST work, end to end on loopback, in a few seconds", SPEC, """
                Usage: pssst demo [--seconds S] [--x25519 jdk|builtin]

                Shows PSSST end to end in this one process over loopback UDP: makes keys,
                starts two servers (one for any client, one for a single client key), runs an
                anonymous and an authenticated client through a few transactions, shows an
                anonymous request refused by the second server, a request's size overhead, a
                tampered request refused, a reply to the wrong request refused, and a short
                throughput run. Servers and clients are PssstDatagramChannels.
                Exit status 0 only if every step behaved.

                Options:
                  --seconds S   length of the throughput run (default 1.5)
                %s
                """.formatted(Args.X25519_HELP));
    }

    @Override
    int run(Args args, Io io) throws Exception {
        long benchMillis = Math.round(parseSeconds(args) * 1000);
        return new Run(io.out(), benchMillis, args.x25519()).run();
    }

    private static double parseSeconds(Args args) throws UsageException {
        String v = args.value("--seconds").orElse("1.5");
        try {
            double s = Double.parseDouble(v);
            if (s >= 0.1 && s <= 60) {
                return s;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--seconds needs a number from 0.1 to 60, not '" + v + "'");
    }

    /** One demo run: its keys, its servers, what went wrong. */
    private static final class Run {
        private final PrintStream out;
        private final long benchMillis;
        private final PssstX25519 x25519;
        private final List<String> failures = new ArrayList<>();
        private final long started = System.nanoTime();
        private final InetAddress loopback = InetAddress.getLoopbackAddress();
        private int step;

        Run(PrintStream out, long benchMillis, PssstX25519 x25519) {
            this.out = out;
            this.benchMillis = benchMillis;
            this.x25519 = x25519;
        }

        int run() throws Exception {
            out.println("PSSST demo: servers and clients in this process, over loopback UDP (X25519: " + x25519.label() + ").");
            title("Keys: a server key pair and a client key pair (X25519)");
            KeyPair serverPair = PssstKeys.generateKeyPair();
            KeyPair clientPair = PssstKeys.generateKeyPair();
            XECPublicKey serverKey = (XECPublicKey) serverPair.getPublic();
            XECPublicKey clientKey = (XECPublicKey) clientPair.getPublic();
            detail("server public key   " + PssstKeys.toHex(serverKey));
            detail("client public key   " + PssstKeys.toHex(clientKey));
            ServerLoop open = server(serverPair, PssstClientPolicy.anonymousAllowed());
            ServerLoop closed = server(serverPair, PssstClientPolicy.allowList(List.of(clientKey)));
            try {
                InetSocketAddress address = open.localAddress();
                title("Server: echo on " + HostPort.format(address) + ", any client; it keeps nothing between requests");
                PssstClientChannel.Builder anonymous = PssstClientChannel.builder(serverKey).x25519(x25519).retryPolicy(RETRY);
                PssstClientChannel.Builder authenticated = PssstClientChannel.builder(serverKey).x25519(x25519).retryPolicy(RETRY)
                        .clientKey((XECPrivateKey) clientPair.getPrivate());
                transactions("Anonymous client: 3 transactions", anonymous, address, "hello #");
                title("A second server, same key, on " + HostPort.format(closed.localAddress())
                        + ", answering only the client key above");
                transactions("Authenticated client: 3 transactions with it (each request proves the client key)",
                        authenticated, closed.localAddress(), "signed hello #");
                anonymousRefused(serverKey, closed);
                overhead();
                tampered(serverKey, address, open);
                wrongReply(serverKey, address);
                throughput(anonymous, address);
            } finally {
                open.stop();
                closed.stop();
            }
            out.println();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (failures.isEmpty()) {
                out.printf(Locale.ROOT, "Every step behaved (%.1f s).%n", seconds);
                return Main.OK;
            }
            out.printf(Locale.ROOT, "%d step(s) misbehaved (%.1f s): %s%n", failures.size(), seconds, String.join("; ", failures));
            return Main.FAILURE;
        }

        private ServerLoop server(KeyPair pair, PssstClientPolicy policy) throws Exception {
            return ServerLoop.start(new ServerLoop.Config((XECPrivateKey) pair.getPrivate(),
                    new InetSocketAddress(loopback, 0), 2, false, policy, new byte[0], x25519),
                    new PrintStream(OutputStream.nullOutputStream()));
        }

        private void transactions(String heading, PssstClientChannel.Builder client, InetSocketAddress server,
                String text) throws Exception {
            title(heading);
            try (PssstClientChannel ch = client.open()) {
                for (int i = 1; i <= 3; i++) {
                    String message = text + i;
                    long t0 = System.nanoTime();
                    String reply;
                    try {
                        reply = StandardCharsets.UTF_8.decode(ch.call(utf8(message), server, RETRY.totalTimeout())).toString();
                    } catch (PssstTimeoutException e) {
                        reply = null;
                    }
                    long us = (System.nanoTime() - t0) / 1000;
                    detail(String.format(Locale.ROOT, "sent %-18s got %-18s %s", quote(message),
                            reply == null ? "no reply" : quote(reply), SvgChart.micros(us)));
                    check(message.equals(reply), heading + ": echo #" + i);
                }
            }
        }

        private void anonymousRefused(XECPublicKey serverKey, ServerLoop closed) throws Exception {
            title("An anonymous request to the second server is refused");
            String reply;
            Duration wait = Duration.ofMillis(300);
            try (PssstClientChannel ch = PssstClientChannel.builder(serverKey).x25519(x25519)
                    .retryPolicy(PssstRetryPolicy.noRetransmission(wait)).open()) {
                reply = StandardCharsets.UTF_8.decode(ch.call(utf8("let me in"), closed.localAddress(), wait)).toString();
            } catch (PssstTimeoutException e) {
                reply = null;
            }
            long refused = waitForCount(closed, "policy-refused", 0);
            detail("no reply after 300 ms; the server dropped it unanswered, counted as policy-refused (" + refused + ")");
            check(reply == null && refused == 1, "anonymous request refused by the allow-list");
        }

        private void overhead() {
            int n = "hello".length();
            title("Size overhead for a " + n + "-byte message");
            int anonymous = Wire.requestLength(n, false);
            int authenticated = Wire.requestLength(n, true);
            detail(String.format(Locale.ROOT, "anonymous request      %3d bytes (+%d: 4 header, 32 dh_param, 16 tag)",
                    anonymous, anonymous - n));
            detail(String.format(Locale.ROOT, "authenticated request  %3d bytes (+%d: the same and a 64-byte client proof)",
                    authenticated, authenticated - n));
            detail(String.format(Locale.ROOT, "reply                  %3d bytes (+%d)", Wire.replyLength(n), Wire.replyLength(n) - n));
            check(anonymous - n == 52 && authenticated - n == 116, "overhead is 52 / 116 bytes");
        }

        private void tampered(XECPublicKey serverKey, InetSocketAddress server, ServerLoop loop) throws Exception {
            title("A tampered request (one bit flipped on the way) is refused");
            byte[] datagram = PssstClient.anonymous(serverKey, x25519).pack("transfer 10 EUR".getBytes(StandardCharsets.UTF_8)).datagram();
            datagram[datagram.length - 20] ^= 1;
            long before = loop.refusedCounts().getOrDefault("decrypt-failed", 0L);
            byte[] reply;
            try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
                reply = exchange(raw, datagram, server);
            }
            long after = waitForCount(loop, "decrypt-failed", before);
            detail("the server dropped it without a reply, counted as decrypt-failed (" + before + " -> " + after + ")");
            check(reply == null && after == before + 1, "tampered request refused");
        }

        /**
         * An attacker on the path answers a request with a genuine reply it captured for another
         * request; the client channel drops it and still accepts the right reply.
         */
        private void wrongReply(XECPublicKey serverKey, InetSocketAddress server) throws Exception {
            title("A reply to another request is refused");
            try (DatagramSocket path = new DatagramSocket(new InetSocketAddress(loopback, 0));
                    PssstClientChannel client = PssstClientChannel.builder(serverKey).x25519(x25519).retryPolicy(RETRY).open()) {
                byte[] captured = exchange(path, PssstClient.anonymous(serverKey, x25519).pack(utf8Bytes("second")).datagram(), server);
                PssstRequestId id = client.sendRequest(utf8("first"), path.getLocalSocketAddress());
                DatagramPacket request = new DatagramPacket(new byte[Wire.MAX_DATAGRAM], Wire.MAX_DATAGRAM);
                path.setSoTimeout(2_000);
                path.receive(request);
                SocketAddress clientAddress = request.getSocketAddress();
                if (captured != null) {
                    path.send(new DatagramPacket(captured, captured.length, clientAddress));
                }
                byte[] genuine = exchange(path, Arrays.copyOf(request.getData(), request.getLength()), server);
                if (genuine != null) {
                    path.send(new DatagramPacket(genuine, genuine.length, clientAddress));
                }
                ByteBuffer dst = ByteBuffer.allocate(64);
                PssstReply reply = client.receiveReply(dst);
                String text = reply.isTimeout() ? "no reply" : quote(StandardCharsets.UTF_8.decode(dst.flip()).toString());
                long unmatched = client.stats().dropped(DropReason.UNMATCHED_REPLY);
                detail("the path answered request \"first\" with the captured reply to \"second\": the client "
                        + "dropped it (unmatched-reply, " + unmatched + ")");
                detail("then the genuine reply arrived and was accepted: " + text);
                check(captured != null && unmatched == 1 && !reply.isTimeout() && id.equals(reply.requestId())
                        && text.equals("\"first\""), "reply to the wrong request refused");
            }
        }

        private void throughput(PssstClientChannel.Builder client, InetSocketAddress server) throws Exception {
            title(String.format(Locale.ROOT, "Throughput: 4 clients, 64-byte messages, %.1f s", benchMillis / 1000.0));
            Bench.Result r = Bench.run(client, server, new Bench.Plan(4, benchMillis, 0, 64, 1000), new Bench.Progress());
            for (String line : r.text(false).split("\n")) {
                detail(line);
            }
            check(r.completed() > 0 && r.refusals() == 0 && r.errors() == 0, "throughput run");
        }

        /** Sends one raw datagram from {@code socket} and returns the raw answer, or null after a short wait. */
        private static byte[] exchange(DatagramSocket socket, byte[] datagram, InetSocketAddress server) throws IOException {
            socket.setSoTimeout(300);
            socket.send(new DatagramPacket(datagram, datagram.length, server));
            DatagramPacket p = new DatagramPacket(new byte[Wire.MAX_DATAGRAM], Wire.MAX_DATAGRAM);
            try {
                socket.receive(p);
                return Arrays.copyOf(p.getData(), p.getLength());
            } catch (SocketTimeoutException e) {
                return null;
            }
        }

        /** Waits (up to 0.5 s) for a server's refusal count to pass {@code before}; the count is updated on its threads. */
        private static long waitForCount(ServerLoop loop, String reason, long before) throws InterruptedException {
            for (int i = 0; i < 50 && loop.refusedCounts().getOrDefault(reason, 0L) == before; i++) {
                Thread.sleep(10);
            }
            return loop.refusedCounts().getOrDefault(reason, 0L);
        }

        private void title(String text) {
            out.println();
            out.println(++step + ". " + text);
        }

        private void detail(String text) {
            out.println("   " + text);
        }

        private void check(boolean ok, String what) {
            if (!ok) {
                failures.add(what);
                detail("** NOT AS EXPECTED: " + what);
            }
        }

        private static ByteBuffer utf8(String s) {
            return ByteBuffer.wrap(utf8Bytes(s));
        }

        private static byte[] utf8Bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        private static String quote(String s) {
            return "\"" + s + "\"";
        }
    }
}
