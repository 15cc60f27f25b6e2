package io.pssst.internal.cli;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.internal.Wire;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code pssst demo}: PSSST end to end in one process on loopback, in a few seconds. Exits 0
 * only if every step behaved.
 */
final class DemoCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec().values("--seconds").positional(0, 0);
    private static final int TIMEOUT_MS = 1000;

    DemoCommand() {
        super("demo", "see PSSST work, end to end on loopback, in a few seconds", SPEC, """
                Usage: pssst demo [--seconds S]

                Shows PSSST end to end in this one process over loopback UDP: makes keys,
                starts a server, runs an anonymous and an authenticated client through a few
                transactions, shows a request's size overhead, a tampered request refused,
                a reply to the wrong request refused, and a short throughput run.
                Exit status 0 only if every step behaved.

                Options:
                  --seconds S   length of the throughput run (default 1.5)
                """);
    }

    @Override
    int run(Args args, Io io) throws Exception {
        long benchMillis = Math.round(parseSeconds(args) * 1000);
        return new Run(io.out(), benchMillis).run();
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

    /** One demo run: its keys, its server, what went wrong. */
    private static final class Run {
        private final PrintStream out;
        private final long benchMillis;
        private final List<String> failures = new ArrayList<>();
        private final long started = System.nanoTime();
        private int step;

        Run(PrintStream out, long benchMillis) {
            this.out = out;
            this.benchMillis = benchMillis;
        }

        int run() throws Exception {
            out.println("PSSST demo: a server and its clients in this process, over loopback UDP.");
            title("Keys: a server key pair and a client key pair (X25519)");
            KeyPair serverPair = PssstKeys.generateKeyPair();
            KeyPair clientPair = PssstKeys.generateKeyPair();
            XECPublicKey serverKey = (XECPublicKey) serverPair.getPublic();
            detail("server public key   " + PssstKeys.toHex(serverKey));
            detail("client public key   " + PssstKeys.toHex((XECPublicKey) clientPair.getPublic()));
            ServerLoop server = ServerLoop.start(new ServerLoop.Config((XECPrivateKey) serverPair.getPrivate(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2, false, null, false, new byte[0]),
                    new PrintStream(OutputStream.nullOutputStream()));
            try {
                InetSocketAddress address = server.localAddress();
                title("Server: echo, listening on " + HostPort.format(address) + "; it keeps nothing between requests");
                PssstClient anonymous = PssstClient.anonymous(serverKey);
                PssstClient authenticated = PssstClient.authenticated(serverKey, (XECPrivateKey) clientPair.getPrivate());
                transactions("Anonymous client: 3 transactions", anonymous, address);
                transactions("Authenticated client: 3 transactions (each request proves the client key)",
                        authenticated, address);
                overhead(anonymous, authenticated);
                tampered(anonymous, address, server);
                wrongReply(anonymous, address);
                throughput(anonymous, address);
            } finally {
                server.stop();
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

        private void transactions(String heading, PssstClient client, InetSocketAddress server) throws Exception {
            title(heading);
            try (RequestClient rc = new RequestClient(client, server)) {
                for (int i = 1; i <= 3; i++) {
                    String message = (client.isAuthenticated() ? "signed hello #" : "hello #") + i;
                    long t0 = System.nanoTime();
                    String reply;
                    try {
                        reply = new String(rc.call(message.getBytes(StandardCharsets.UTF_8), TIMEOUT_MS, 2),
                                StandardCharsets.UTF_8);
                    } catch (RequestClient.TimeoutException e) {
                        reply = null;
                    }
                    long us = (System.nanoTime() - t0) / 1000;
                    detail(String.format(Locale.ROOT, "sent %-18s got %-18s %s", quote(message),
                            reply == null ? "no reply" : quote(reply), SvgChart.micros(us)));
                    check(message.equals(reply), heading + ": echo #" + i);
                }
            }
        }

        private void overhead(PssstClient anonymous, PssstClient authenticated) {
            int n = "hello".length();
            title("Size overhead for a " + n + "-byte message");
            detail(String.format(Locale.ROOT, "anonymous request      %3d bytes (+%d: 4 header, 32 dh_param, 16 tag)",
                    anonymous.requestLength(n), anonymous.requestLength(n) - n));
            detail(String.format(Locale.ROOT, "authenticated request  %3d bytes (+%d: the same and a 64-byte client proof)",
                    authenticated.requestLength(n), authenticated.requestLength(n) - n));
            detail(String.format(Locale.ROOT, "reply                  %3d bytes (+%d)", Wire.replyLength(n), Wire.replyLength(n) - n));
            check(anonymous.requestLength(n) - n == 52 && authenticated.requestLength(n) - n == 116,
                    "overhead is 52 / 116 bytes");
        }

        private void tampered(PssstClient client, InetSocketAddress server, ServerLoop loop) throws Exception {
            title("A tampered request (one bit flipped) is refused");
            byte[] datagram = client.pack("transfer 10 EUR".getBytes(StandardCharsets.UTF_8)).datagram();
            datagram[datagram.length - 20] ^= 1;
            long before = loop.refusedCounts().getOrDefault("decrypt-failed", 0L);
            byte[] reply = exchangeRaw(datagram, server);
            long after = waitForCount(loop, "decrypt-failed", before);
            detail("server: dropped it without a reply, counted as decrypt-failed (" + before + " -> " + after + ")");
            check(reply == null && after == before + 1, "tampered request refused");
        }

        private void wrongReply(PssstClient client, InetSocketAddress server) throws Exception {
            title("A reply to another request is refused");
            PackedRequest first = client.pack("first".getBytes(StandardCharsets.UTF_8));
            PackedRequest second = client.pack("second".getBytes(StandardCharsets.UTF_8));
            byte[] replyToSecond = exchangeRaw(second.datagram(), server);
            byte[] replyToFirst = exchangeRaw(first.datagram(), server);
            String refusal = null;
            try {
                first.openReply(replyToSecond == null ? new byte[0] : replyToSecond);
            } catch (PssstException e) {
                refusal = e.reason().wireName();
            }
            detail("the reply to \"second\", offered to \"first\": refused (" + refusal + ")");
            String own = null;
            try {
                own = replyToFirst == null ? null : new String(first.openReply(replyToFirst), StandardCharsets.UTF_8);
            } catch (PssstException e) {
                own = "refused: " + e.reason().wireName();
            }
            detail("the reply to \"first\" still opens: " + quote(String.valueOf(own)));
            check("reply-mismatch".equals(refusal) && "first".equals(own), "reply to the wrong request refused");
        }

        private void throughput(PssstClient client, InetSocketAddress server) throws InterruptedException {
            title(String.format(Locale.ROOT, "Throughput: 4 clients, 64-byte messages, %.1f s", benchMillis / 1000.0));
            Bench.Result r = Bench.run(client, server, new Bench.Plan(4, benchMillis, 0, 64, TIMEOUT_MS), new Bench.Progress());
            for (String line : r.text(false).split("\n")) {
                detail(line);
            }
            check(r.completed() > 0 && r.refusals() == 0 && r.errors() == 0, "throughput run");
        }

        /** Sends one raw datagram from a fresh socket and returns the raw reply, or null after a short wait. */
        private static byte[] exchangeRaw(byte[] datagram, InetSocketAddress server) throws Exception {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
                s.setSoTimeout(300);
                s.send(new DatagramPacket(datagram, datagram.length, server));
                DatagramPacket p = new DatagramPacket(new byte[Wire.MAX_DATAGRAM], Wire.MAX_DATAGRAM);
                try {
                    s.receive(p);
                    return Arrays.copyOf(p.getData(), p.getLength());
                } catch (SocketTimeoutException e) {
                    return null;
                }
            }
        }

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

        private static String quote(String s) {
            return "\"" + s + "\"";
        }
    }
}
