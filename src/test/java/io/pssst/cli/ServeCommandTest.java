package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstKeys;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.XECPublicKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;

    private Path serverKey;
    private Path clientKey;
    private Path otherClientKey;

    @BeforeEach
    void keys() throws Exception {
        serverKey = dir.resolve("server.key");
        clientKey = dir.resolve("client.key");
        otherClientKey = dir.resolve("other.key");
        for (Path p : new Path[] {serverKey, clientKey, otherClientKey}) {
            CliRun.keygen(p);
        }
    }

    private static CliRun send(ServeRun s, String... extra) {
        String[] base = {"send", "--server", s.address, "--server-key", s.serverKeyHex, "--timeout", "300", "--retries", "0"};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRun.run(all);
    }

    @Test
    void serve_echoWithId_thenStatsOnStop() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--id", "alpha", "--threads", "2")) {
            CliRun anon = send(s, "hello");
            assertEquals(0, anon.status(), anon::toString);
            assertEquals("alpha: hello\n", anon.out());
            CliRun auth = send(s, "--key", clientKey.toString(), "signed");
            assertEquals("alpha: signed\n", auth.out(), auth::toString);
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("2 requests, 2 replies, refused: none"), s::out);
        }
    }

    /**
     * {@code --previous-key}, repeated: clients of every key held are answered, an empty file
     * is an empty slot, the start line names the previous keys, and the stop line after the
     * statistics counts requests per key.
     */
    @Test
    void serve_previousKeys_everyHeldKeyAnswered_perKeyLineAtStop() throws Exception {
        Path older = CliRun.keygen(dir.resolve("older.key"));
        Path empty = dir.resolve("empty.key");
        Files.writeString(empty, "");
        String[] hex = {publicHex(serverKey), publicHex(otherClientKey), publicHex(older)};
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--previous-key", otherClientKey.toString(),
                "--previous-key", empty.toString(), "--previous-key=" + older)) {
            assertTrue(s.out().contains("server public key " + hex[0] + " (previous " + hex[1] + ", " + hex[2] + ")\n"),
                    s::out);
            assertEquals(0, send(s, "current").status());
            for (String h : new String[] {hex[1], hex[2], hex[2]}) {
                CliRun r = CliRun.run("send", "--server", s.address, "--server-key", h, "--timeout", "2000", "old");
                assertEquals("old\n", r.out(), r::toString);
            }
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("4 requests, 4 replies, refused: none\npssst serve: requests opened per key: "
                    + "current " + hex[0] + " 1, previous " + hex[1] + " 1, previous " + hex[2] + " 2\n"), s::out);
        }
        assertEquals(1, CliRun.run("serve", "--key", serverKey.toString(), "--previous-key",
                dir.resolve("absent").toString()).status());
        CliRun twice = CliRun.run("serve", "--key", serverKey.toString(), "--key", serverKey.toString());
        assertEquals(Main.USAGE, twice.status(), "only --previous-key repeats");
        String help = CliRun.run("serve", "--help").out();
        assertTrue(help.contains("--previous-key KEYFILE") && help.contains("on SIGHUP (kill -HUP PID)"), help);
    }

    private static String publicHex(Path privateKeyFile) throws Exception {
        return PssstKeys.toHex(PssstKeys.publicKeyOf(KeyFiles.readPrivateKey(privateKeyFile.toString())));
    }

    /** serve registers each channel's MXBean by its address, and its stop unregisters them. */
    @Test
    void serve_registersItsMXBeans_unregistersThemOnStop() throws Exception {
        javax.management.MBeanServer platform = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName first;
        javax.management.ObjectName second;
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--threads", "2", "--reuse-port")) {
            first = new javax.management.ObjectName("io.pssst:type=ServerChannel,name=\"" + s.address + "\"");
            second = new javax.management.ObjectName(first + ",instance=2");
            assertTrue(platform.isRegistered(first) && platform.isRegistered(second), s::err);
            assertEquals(0L, platform.getAttribute(first, "RequestsAccepted"));
            for (int i = 0; i < 3; i++) {
                assertEquals(0, send(s, "hi " + i).status());
            }
            long accepted = (Long) platform.getAttribute(first, "RequestsAccepted")
                    + (Long) platform.getAttribute(second, "RequestsAccepted");
            assertEquals(3, accepted, "the kernel spreads the requests over the two sockets");
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("3 requests, 3 replies"), s::out);
        }
        assertFalse(platform.isRegistered(first));
        assertFalse(platform.isRegistered(second));
    }

    @Test
    void serve_workerSocketClosedUnderIt_exitsOneWithOneLine_statsOnce() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString())) {
            assertEquals(0, send(s, "before").status());
            java.util.List<Thread> workers = s.workers();
            assertEquals(1, workers.size(), workers::toString);
            workers.get(0).interrupt(); // closes the channel it is receiving on: a real fault, not a stop
            assertEquals(Main.FAILURE, s.awaitExit(), s::err);
            assertEquals("pssst serve: the server stopped: its socket was closed while it was serving (closed from"
                    + " elsewhere, or a worker thread was interrupted)\n", s.err());
            assertEquals(1, s.out().split("stopped after", -1).length - 1, s::out);
            assertTrue(s.out().contains("1 requests, 1 replies, refused: none"), s::out);
        }
    }

    @Test
    void serve_idOver64BytesOfUtf8_usageError_64Accepted() throws Exception {
        String euros = "\u20ac".repeat(22); // 22 characters, 66 bytes in UTF-8
        for (String id : new String[] {"x".repeat(65), euros, "x".repeat(65_000)}) {
            // bounded: a serve that accepted the id would run until interrupted
            CliRun r = Async.supply("serve-long-id", () -> CliRun.run("serve", "--key", serverKey.toString(), "--bind",
                    "127.0.0.1:0", "--id", id)).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(Main.USAGE, r.status(), r::toString);
            assertTrue(r.errIsOneLine() && r.err().startsWith("pssst serve: --id is "
                    + id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + " bytes in UTF-8; at most 64"), r::toString);
        }
        String longest = "y".repeat(62) + "\u00e9"; // 64 bytes
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--id", longest)) {
            CliRun r = send(s, "hi");
            assertEquals(longest + ": hi\n", r.out(), r::toString);
        }
        assertTrue(CliRun.run("serve", "--help").out().contains("at most 64 bytes in UTF-8"));
    }

    @Test
    void serve_idMakesLargestEchoTooLong_notSentNotTruncated_counted() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--id", "alpha")) {
            byte[] largest = new byte[65_507 - 52]; // the largest anonymous request message
            java.util.Arrays.fill(largest, (byte) 'x');
            CliRun big = CliRun.runWithInput(largest, "send", "--server", s.address, "--server-key",
                    s.serverKeyHex, "--timeout", "300", "--retries", "0", "-");
            assertEquals(1, big.status(), "no truncated echo may come back: " + big.err());
            assertEquals(0, send(s, "small").status(), "the server keeps serving");
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("2 requests, 1 replies, refused: reply-too-long 1"), s::out);
        }
    }

    @Test
    void serve_garbage_refusedAndLoggedOncePerSecondWithCounts() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString());
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = Integer.parseInt(s.address.substring(s.address.lastIndexOf(':') + 1));
            for (int i = 0; i < 5; i++) {
                socket.send(new DatagramPacket(new byte[10], 10, new InetSocketAddress("127.0.0.1", port)));
            }
            assertTrue(s.awaitErr("refused in the last second: malformed 5"), s::err);
            assertEquals(1, s.err().split("\n").length, "one line for five packets: " + s.err());
            assertEquals(0, CliRun.run("send", "--server", s.address, "--server-key", s.serverKeyHex, "x").status());
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("1 requests, 1 replies, refused: malformed 5"), s::out);
        }
    }

    @Test
    void serve_requireAuth_anonymousTimesOut_authenticatedAnswered() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--require-auth")) {
            CliRun anon = send(s, "hi");
            assertEquals(1, anon.status(), anon::toString);
            assertTrue(anon.err().contains("no reply from"), anon::toString);
            assertEquals(0, send(s, "--key", clientKey.toString(), "hi").status());
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("1 requests"), s::out);
        }
    }

    @Test
    void serve_clientsFile_onlyListedClientAnswered() throws Exception {
        Path list = dir.resolve("clients");
        Files.writeString(list, "# allowed clients\n" + Files.readString(Path.of(clientKey + ".pub")) + "\n");
        try (ServeRun s = new ServeRun("--key", serverKey.toString(), "--clients", list.toString())) {
            assertEquals(0, send(s, "--key", clientKey.toString(), "in").status());
            assertEquals(1, send(s, "--key", otherClientKey.toString(), "out").status());
            assertEquals(1, send(s, "anonymous").status());
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("1 requests, 1 replies"), s::out);
        }
    }

    @Test
    void serve_reusePort_twoServersShareThePort() throws Exception {
        try (ServeRun a = new ServeRun("--key", serverKey.toString(), "--reuse-port", "--id", "a", "--threads", "2")) {
            String port = a.address.substring(a.address.lastIndexOf(':') + 1);
            try (ServeRun b = new ServeRun("--key", serverKey.toString(), "--reuse-port", "--id", "b",
                    "--bind", "127.0.0.1:" + port)) {
                assertEquals(a.address, b.address);
                CliRun r = send(b, "x");
                assertEquals(0, r.status(), r::toString);
                assertTrue(r.out().equals("a: x\n") || r.out().equals("b: x\n"), r::toString);
            }
        }
    }

    @Test
    void serve_portInUse_failsWithOneLine() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            CliRun r = CliRun.run("serve", "--key", serverKey.toString(), "--bind", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.errIsOneLine() && r.err().contains("cannot listen on 127.0.0.1:"), r::toString);
        }
    }

    @Test
    void serve_badUsage_exitsTwo() {
        assertEquals(2, CliRun.run("serve").status());
        assertEquals(2, CliRun.run("serve", "--key", serverKey.toString(), "--bind", "nowhere").status());
        assertEquals(2, CliRun.run("serve", "--key", serverKey.toString(), "--threads", "0").status());
    }

    @Test
    void serve_missingOrBadKey_exitsOne() throws Exception {
        CliRun missing = CliRun.run("serve", "--key", dir.resolve("absent").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("private key file not found"), missing::toString);
        CliRun pub = CliRun.run("serve", "--key", serverKey + ".pub");
        assertEquals(1, pub.status());
        assertTrue(pub.err().contains("holds a public key"), pub::toString);
    }

    @Test
    void clientList_badLine_namesFileAndLine() throws Exception {
        KeyPair k = PssstKeys.generateKeyPair();
        Path list = dir.resolve("clients");
        Files.writeString(list, PssstKeys.toHex((XECPublicKey) k.getPublic()) + "  # alice\n\nnot-a-key\n");
        CommandFailedException e = org.junit.jupiter.api.Assertions.assertThrows(CommandFailedException.class,
                () -> ClientList.read(list.toString()));
        assertTrue(e.getMessage().startsWith(list + " line 3: not a usable X25519 public key"), e.getMessage());
        Files.writeString(list, "# nobody\n");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(CommandFailedException.class,
                () -> ClientList.read(list.toString())).getMessage().contains("lists no client keys"));
        Files.writeString(list, PssstKeys.toPem((XECPublicKey) k.getPublic()) + PssstKeys.toHex((XECPublicKey) k.getPublic()));
        assertEquals(2, ClientList.read(list.toString()).size());
    }

    @Test
    void serve_binaryClientsFile_oneLineSaysNotText() throws Exception {
        Path list = dir.resolve("clients.bin");
        Files.write(list, new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0x80, (byte) 0xc3, 0x28});
        CliRun r = CliRun.run("serve", "--key", serverKey.toString(), "--clients", list.toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.errIsOneLine() && r.err().contains("not a text file"), r::toString);
    }

    @Test
    void serve_endlessClientsFile_refusedWithoutReadingItAll() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/zero")), "no /dev/zero here");
        CliRun r = CliRun.run("serve", "--key", serverKey.toString(), "--clients", "/dev/zero");
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.errIsOneLine() && r.err().contains("too large"), r::toString);
    }
}
