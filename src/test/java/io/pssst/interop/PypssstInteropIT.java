package io.pssst.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.internal.Bytes;
import io.pssst.pool.PoolProcess;
import io.pssst.pool.PoolServer;
import io.pssst.pool.PssstJar;
import io.pssst.testing.CompatDrive;
import io.pssst.testing.SeededRandom;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Live interoperability with the Python reference implementation (pypssst 0.2.1, in
 * {@code ../shared/peers/pypssst}), as real processes over real UDP on loopback:
 * <ul>
 * <li>{@code compat-drive} between {@code pssst compat} and pypssst's {@code compatibility.py},
 * each as the first and as the second program, three times each (and once with a reply
 * tampered with on the way, which must fail); the driver is {@link CompatDrive}, the shared
 * tool with its lost-line fix;
 * <li>a pypssst client ({@code pypssst_client.py}) sending anonymous and authenticated requests
 * to {@code pssst serve}, and opening its echoed replies; and {@code pssst serve --clients}
 * refusing the pypssst requests it must refuse;
 * <li>our clients ({@code pssst send}, and the native API in this JVM) talking to a pypssst
 * server ({@code pypssst_server.py}), which answers with what it opened and who sent it.
 * </ul>
 * Needs the packaged jar (run by failsafe in {@code mvn verify}), {@code ../shared} and
 * {@code python3} with the {@code cryptography} (and, for compat-drive, {@code click})
 * packages; skipped with a message where any is absent. Every process is bounded by a
 * lifetime and killed when its test ends; failures show the peer's output and error.
 */
class PypssstInteropIT {
    private static final String AREA = "interop-it";
    private static final Duration LIFETIME = Duration.ofMinutes(3);
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final int COMPAT_RUNS = 3;
    private static final Pattern LISTENING = Pattern.compile("listening (\\d+)\\n");
    private static final Pattern REPLY_LINE = Pattern.compile("(reply [0-9a-f]*|timeout|stray \\w+)");

    /** Messages of every shape: empty, text, binary of a typical and of a large datagram. */
    private static List<byte[]> messages() {
        SeededRandom random = SeededRandom.of(0x5eed);
        byte[] typical = new byte[1200];
        random.nextBytes(typical);
        byte[] large = new byte[50_000];
        random.nextBytes(large);
        return List.of(new byte[0], "hello from the interop test".getBytes(StandardCharsets.UTF_8), typical, large);
    }

    @Test
    void compatDrive_pssstCompatAndPypssst_bothOrders_compatible() throws Exception {
        PssstJar pssst = PssstJar.forTest(AREA, "compat-drive");
        Pypssst py = Pypssst.require(pssst.dir(), "click");
        String ours = Pypssst.shellCommand(pssst.command("compat"));
        String theirs = py.compatCommand();
        for (int run = 1; run <= COMPAT_RUNS; run++) {
            assertCompatible(drive(pssst, "pypssst-first-" + run, theirs, ours));
            assertCompatible(drive(pssst, "pssst-first-" + run, ours, theirs));
        }
    }

    /** The same pairing with the suite of pypssst's anonymous reply changed on the way: pssst compat refuses it. */
    @Test
    void compatDrive_tamperedReply_notCompatible() throws Exception {
        PssstJar pssst = PssstJar.forTest(AREA, "compat-drive-tampered");
        Pypssst py = Pypssst.require(pssst.dir(), "click");
        String tampered = py.compatCommand() + " | sed -u 's/^REPLY:80000001/REPLY:80000002/'"; // suite 1 -> 2
        String transcript = drive(pssst, "tampered", Pypssst.shellCommand(pssst.command("compat")), tampered);
        assertTrue(transcript.contains("B: REPLY:80000002") && transcript.contains("\nNOT compatible")
                && transcript.contains("pssst compat:"), transcript);
    }

    /** Runs the driver to the end (it gives up after 60 s) and returns its transcript, with both programs' errors. */
    private static String drive(PssstJar pssst, String name, String a, String b) throws IOException, InterruptedException {
        try (PoolProcess p = PoolProcess.start(name, pssst.dir(), LIFETIME, CompatDrive.command(a, b, Duration.ofSeconds(60)))) {
            int status = p.waitFor(RUN);
            return "compat-drive " + name + " exited with " + status + " (A: " + a + ", B: " + b + "):\n" + p.output();
        }
    }

    private static void assertCompatible(String transcript) {
        assertTrue(transcript.contains(" exited with 0 ") && transcript.contains("\ncompatible"), transcript);
    }

    /** A test's work folder and jar, the peer (or a skipped test), and a server key made by {@code pssst keygen}. */
    private record Setup(PssstJar pssst, Pypssst py, Path serverKey) {
        static Setup of(String name) throws IOException, InterruptedException {
            PssstJar pssst = PssstJar.forTest(AREA, name);
            Pypssst py = Pypssst.require(pssst.dir());
            return new Setup(pssst, py, keygenHex(pssst, "server.key"));
        }
    }

    @Test
    void pypssstClient_toPssstServe_anonymousAndAuthenticated_repliesOpen() throws Exception {
        Setup s = Setup.of("pypssst-client");
        PssstJar pssst = s.pssst();
        Path serverKey = s.serverKey();
        Path clientKey = keygenHex(pssst, "client.key");
        List<byte[]> messages = messages();
        try (PoolServer serve = PoolServer.tryStart(pssst, "java", "127.0.0.1:0", serverKey)) {
            assertNotNull(serve, "pssst serve could not listen on 127.0.0.1");
            for (Path key : Arrays.asList(null, clientKey)) {
                List<String> lines = pyClient(s.py(), pssst, serve.address, serverKey, key, messages, 2.0, 3);
                for (int i = 0; i < messages.size(); i++) {
                    assertEquals("reply " + Bytes.hex(echo("java: ", messages.get(i))), lines.get(i),
                            "message " + i + (key == null ? " (anonymous)" : " (authenticated)"));
                }
            }
            serve.stopCleanly(2L * messages.size()); // nothing refused, every request answered
        }
    }

    @Test
    void pssstServeAllowList_refusesPypssstRequestsItMust_answersTheListedClient() throws Exception {
        Setup s = Setup.of("pypssst-allow-list");
        PssstJar pssst = s.pssst();
        Pypssst py = s.py();
        Path serverKey = s.serverKey();
        Path listed = keygenHex(pssst, "listed.key");
        Path unlisted = keygenHex(pssst, "unlisted.key");
        Path clients = Files.writeString(pssst.dir().resolve("clients"), hexOf(listed.resolveSibling("listed.key.pub")) + "\n");
        List<byte[]> one = List.of("only for listed clients".getBytes(StandardCharsets.UTF_8));
        try (PoolServer serve = PoolServer.tryStart(pssst, "java", "127.0.0.1:0", serverKey, "--clients", clients.toString())) {
            assertNotNull(serve, "pssst serve could not listen on 127.0.0.1");
            assertEquals(List.of("timeout"), pyClient(py, pssst, serve.address, serverKey, null, one, 0.5, 1), "anonymous");
            assertEquals(List.of("timeout"), pyClient(py, pssst, serve.address, serverKey, unlisted, one, 0.5, 1), "unlisted");
            assertEquals(List.of("reply " + Bytes.hex(echo("java: ", one.get(0)))),
                    pyClient(py, pssst, serve.address, serverKey, listed, one, 2.0, 3), "listed");
            PoolServer.Stats stats = serve.stop();
            assertTrue(stats.requests() >= 1 && stats.replies() == stats.requests(), serve::output);
            assertEquals("policy-refused 2", stats.refused(), serve::output);
        }
    }

    /**
     * Runs {@code pypssst_client.py} to the end: one request per message, anonymous when
     * {@code clientKey} is null.
     *
     * @return its result line per message ("reply HEX" or "timeout")
     */
    private static List<String> pyClient(Pypssst py, PssstJar pssst, InetSocketAddress server, Path serverKey,
            Path clientKey, List<byte[]> messages, double timeoutSeconds, int attempts)
            throws IOException, InterruptedException {
        Path file = Files.write(pssst.dir().resolve("messages-" + System.nanoTime()),
                messages.stream().map(m -> m.length == 0 ? "-" : Bytes.hex(m)).collect(Collectors.toList()));
        try (PoolProcess p = PoolProcess.start("pypssst-client", pssst.dir(), LIFETIME,
                py.python(Pypssst.script("pypssst_client.py").toString(), server.getAddress().getHostAddress(),
                        Integer.toString(server.getPort()), hexOf(serverKey.resolveSibling(serverKey.getFileName() + ".pub")),
                        clientKey == null ? "-" : hexOf(clientKey), Double.toString(timeoutSeconds),
                        Integer.toString(attempts), file.toString()))) {
            int status = p.waitFor(RUN);
            List<String> results = new ArrayList<>();
            for (String line : p.output().split("\n")) {
                if (REPLY_LINE.matcher(line).matches() && !line.startsWith("stray")) {
                    results.add(line);
                }
            }
            boolean allReplied = results.stream().allMatch(l -> l.startsWith("reply "));
            assertEquals(allReplied ? 0 : 3, status, () -> "pypssst client exit status:\n" + p.output());
            assertEquals(messages.size(), results.size(), () -> "one result per message:\n" + p.output());
            return results;
        }
    }

    @Test
    void pssstClients_toPypssstServer_anonymousAndAuthenticated_repliesOpen() throws Exception {
        Setup s = Setup.of("pypssst-server");
        PssstJar pssst = s.pssst();
        Path serverKey = s.serverKey();
        Path clientKey = keygenHex(pssst, "client.key");
        String clientHex = hexOf(clientKey.resolveSibling("client.key.pub"));
        List<byte[]> messages = messages();
        int answers = 2 + 2 * messages.size();
        try (PoolProcess server = PoolProcess.start("pypssst-server", pssst.dir(), LIFETIME,
                s.py().python(Pypssst.script("pypssst_server.py").toString(), hexOf(serverKey), Integer.toString(answers),
                        Long.toString(RUN.toSeconds())))) {
            Matcher m = server.awaitOutput(LISTENING, Duration.ofSeconds(30));
            assertNotNull(m, () -> "the pypssst server did not start:\n" + server.output());
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)));
            String where = "127.0.0.1:" + address.getPort();
            String pub = serverKey + ".pub";

            assertEquals("anon:hello pypssst\n",
                    pssst.run(RUN, "send", "--server", where, "--server-key", pub, "hello pypssst"), server::output);
            assertEquals("auth:" + clientHex + ":hello pypssst\n",
                    pssst.run(RUN, "send", "--server", where, "--server-key", pub, "--key", clientKey.toString(),
                            "hello pypssst"), server::output);

            PssstClient anonymous = PssstClient.anonymous(PssstKeys.parsePublicKey(Files.readString(Path.of(pub))));
            PssstClient authenticated = PssstClient.authenticated(anonymous.serverKey(),
                    PssstKeys.parsePrivateKey(Files.readString(clientKey)));
            for (byte[] message : messages) {
                assertArrayEquals(echo("anon:", message), call(anonymous, address, message, server), "anonymous");
                assertArrayEquals(echo("auth:" + clientHex + ":", message), call(authenticated, address, message, server),
                        "authenticated");
            }
            assertEquals(0, server.waitFor(Duration.ofSeconds(30)), server::output);
            assertTrue(!server.output().contains("refused"), server::output);
        }
    }

    /** One transaction through the native API over UDP: up to 3 sends of the request, 2 s each. */
    private static byte[] call(PssstClient client, InetSocketAddress server, byte[] message, PoolProcess peer)
            throws IOException, PssstException {
        PackedRequest request = client.pack(message);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(2_000);
            byte[] buffer = new byte[65_535];
            for (int attempt = 0; attempt < 3; attempt++) {
                socket.send(new DatagramPacket(request.datagram(), request.datagram().length, server));
                DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(reply);
                    return request.openReply(Arrays.copyOf(reply.getData(), reply.getLength()));
                } catch (SocketTimeoutException e) {
                    // the same datagram again: the server keeps no state, so a repeat is harmless
                }
            }
        }
        throw new AssertionError("no reply from the pypssst server to a " + message.length + "-byte message:\n" + peer.output());
    }

    /** {@code pssst keygen --out NAME --format hex}: NAME and NAME.pub, 64 hex digits each. */
    private static Path keygenHex(PssstJar pssst, String name) throws IOException, InterruptedException {
        pssst.run(Duration.ofSeconds(60), "keygen", "--out", name, "--format", "hex");
        return pssst.dir().resolve(name);
    }

    private static String hexOf(Path keyFile) throws IOException {
        return Files.readString(keyFile).strip();
    }

    private static byte[] echo(String prefix, byte[] message) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(p, p.length + message.length);
        System.arraycopy(message, 0, out, p.length, message.length);
        return out;
    }
}
