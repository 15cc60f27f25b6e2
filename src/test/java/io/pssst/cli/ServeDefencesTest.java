package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstKeys;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pssst serve --rate-limit}, {@code --rate-limit-prefix} and {@code --max-amplification}. */
class ServeDefencesTest {
    private static final Pattern STATS = Pattern.compile("(\\d+) requests, (\\d+) replies, refused: (.*)");

    @TempDir
    Path dir;

    private Path serverKey;

    @BeforeEach
    void keys() throws Exception {
        serverKey = dir.resolve("server.key");
        CliRun.keygen(serverKey);
    }

    private static InetSocketAddress address(ServeRun s) {
        int colon = s.address.lastIndexOf(':');
        return new InetSocketAddress(s.address.substring(0, colon), Integer.parseInt(s.address.substring(colon + 1)));
    }

    /** The count of {@code reason} in a "refused: a 1, b 2" list, 0 if absent. */
    private static long refused(String list, String reason) {
        Matcher m = Pattern.compile("(?:^|, )" + Pattern.quote(reason) + " (\\d+)").matcher(list);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Twenty requests at once from one source against a limit of 5 a second: the burst is
     * answered, the rest dropped and counted. A client then retries (300 ms apart, as a
     * client would) until the bucket has refilled enough to answer it; once it is answered,
     * every datagram before it has been examined (one worker, one socket: in order), so the
     * counts add up exactly.
     */
    @Test
    void serve_rateLimit_burstAnswered_restDroppedAndCounted() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--rate-limit", "5");
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            PssstClient client = PssstClient.anonymous(PssstKeys.parsePublicKey(s.serverKeyHex));
            for (int i = 0; i < 20; i++) {
                byte[] d = client.pack(("flood " + i).getBytes(StandardCharsets.UTF_8)).datagram();
                socket.send(new DatagramPacket(d, d.length, address(s)));
            }
            socket.setSoTimeout(300);
            PackedRequest sync = client.pack("sync".getBytes(StandardCharsets.UTF_8));
            int attempts = 0;
            boolean answered = false;
            byte[] buf = new byte[2048];
            while (!answered && attempts < 50) { // 5 a second: a token comes within 200 ms
                socket.send(new DatagramPacket(sync.datagram(), sync.datagram().length, address(s)));
                attempts++;
                long end = System.nanoTime() + 300_000_000L;
                while (!answered && System.nanoTime() < end) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    try {
                        answered = Arrays.equals("sync".getBytes(StandardCharsets.UTF_8),
                                sync.openReply(Arrays.copyOf(p.getData(), p.getLength())));
                    } catch (io.pssst.PssstException e) {
                        // a reply to one of the flood's requests
                    }
                }
            }
            assertTrue(answered, "the limited source was never answered again: " + s.err());
            assertEquals(0, s.stop());
            Matcher m = STATS.matcher(s.out());
            assertTrue(m.find(), s::out);
            long requests = Long.parseLong(m.group(1));
            long limited = refused(m.group(3), "rate-limited");
            assertEquals(20 + attempts, requests + limited, s::out);
            assertTrue(requests >= 6, () -> "the burst of 5 and the sync request: " + s.out());
            assertTrue(limited > 0, s::out);
            assertEquals(requests, Long.parseLong(m.group(2)), s::out);
        }
    }

    /** With the default bound (3) even the longest --id's echo of an empty request goes out. */
    @Test
    void serve_defaultBound_longestIdEchoOfEmptyRequest_sent() throws Exception {
        String longest = "y".repeat(64);
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--id", longest)) {
            CliRun r = CliRun.runWithInput(new byte[0], "send", "--server", s.address, "--server-key", s.serverKeyHex,
                    "--timeout", "2000", "--retries", "0", "-");
            assertEquals(0, r.status(), r::toString);
            assertEquals(longest + ": \n", r.out(), r::toString);
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("1 requests, 1 replies, refused: none"), s::out);
        }
    }

    /** --max-amplification 1: an echo with an --id is longer than its request: not sent, counted. */
    @Test
    void serve_maxAmplificationOne_echoWithIdRefused_counted_serverCarriesOn() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--id", "alpha", "--max-amplification", "1")) {
            String[] send = {"send", "--server", s.address, "--server-key", s.serverKeyHex, "--timeout", "300",
                "--retries", "0", "hello"};
            assertEquals(1, CliRun.run(send).status(), "no reply over the bound");
            assertEquals(1, CliRun.run(send).status(), "the server carries on");
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("2 requests, 0 replies, refused: reply-amplification-refused 2"), s::out);
        }
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--max-amplification", "1")) {
            CliRun r = CliRun.run("send", "--server", s.address, "--server-key", s.serverKeyHex, "--timeout", "2000",
                    "--retries", "0", "same size");
            assertEquals("same size\n", r.out(), "a plain echo is exactly as large as its request: " + r);
        }
    }

    @Test
    void serve_badDefenceOptions_usageErrors() throws Exception {
        String[][] bad = {{"--rate-limit", "-1"}, {"--rate-limit", "10000001"}, {"--rate-limit", "many"},
            {"--rate-limit-prefix", "24"}, {"--rate-limit-prefix", "33,64"}, {"--rate-limit-prefix", "24,0"},
            {"--rate-limit-prefix", "24,64,8"}, {"--max-amplification", "-1"}, {"--max-amplification", "x"}};
        for (String[] option : bad) {
            // bounded: a serve that accepted the option would run until interrupted
            CliRun r = Async.supply("serve-bad-option", () -> CliRun.run("serve", "--key", serverKey.toString(),
                    "--bind", "127.0.0.1:0", option[0], option[1])).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(Main.USAGE, r.status(), () -> String.join(" ", option) + ": " + r);
            assertTrue(r.errIsOneLine() && r.err().contains(option[0]), r::toString);
        }
        assertTrue(CliRun.run("serve", "--help").out().contains("--max-amplification K"));
    }
}
