package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstKeys;
import io.pssst.internal.Wire;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.XECPublicKey;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendCommandTest {
    @TempDir
    Path dir;

    private Path serverKey;

    @BeforeEach
    void keys() {
        serverKey = dir.resolve("server.key");
        CliRun.keygen(serverKey);
    }

    @Test
    void send_stdinMessage_hexFlag_printsHex() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString())) {
            CliRun r = CliRun.runWithInput("abc", "send", "--server", s.address, "--server-key", serverKey + ".pub",
                    "--hex", "-");
            assertEquals(0, r.status(), r::toString);
            assertEquals("616263\n", r.out());
        }
    }

    @Test
    void send_binaryReply_printedAsHex() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString())) {
            CliRun r = CliRun.runWithInput(new byte[] {0, 1, 2, (byte) 0xff}, "send", "--server", s.address,
                    "--server-key", s.serverKeyHex, "-");
            assertEquals(0, r.status(), r::toString);
            assertEquals("000102ff\n", r.out());
        }
    }

    @Test
    void send_unreachableServer_timesOutExitOne() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.getLocalPort(); // closed again: nothing listens there
        }
        CliRun r = CliRun.run("send", "--server", "127.0.0.1:" + port, "--server-key", serverKey + ".pub",
                "--timeout", "100", "--retries", "1", "hello");
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.errIsOneLine(), r::toString);
        assertTrue(r.err().contains("no reply from 127.0.0.1:" + port + " after 2 attempts of 100 ms"), r::toString);
    }

    @Test
    void send_wrongServerKey_serverRefuses_timeoutNoReplyAccepted() throws Exception {
        Path other = dir.resolve("other.key");
        CliRun.keygen(other);
        try (ServeRun s = new ServeRun("--key", serverKey.toString())) {
            CliRun r = CliRun.run("send", "--server", s.address, "--server-key", other + ".pub",
                    "--timeout", "200", "--retries", "0", "hello");
            assertEquals(1, r.status(), r::toString);
            assertEquals("", r.out());
            assertTrue(r.err().contains("no reply from"), r::toString);
            assertEquals(0, s.stop());
            assertTrue(s.out().contains("0 requests, 0 replies, refused: decrypt-failed 1"), s::out);
        }
    }

    @Test
    void send_forgedReplies_refusedNeverPrinted() throws Exception {
        try (DatagramSocket fake = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            // A fake server that answers each request with its own bytes, REPLY flag set: not a valid reply.
            fake.setSoTimeout(10_000);
            CompletableFuture<Void> answering = Async.run("fake-server", () -> {
                try {
                    DatagramPacket p = new DatagramPacket(new byte[Wire.MAX_DATAGRAM], Wire.MAX_DATAGRAM);
                    fake.receive(p);
                    p.getData()[0] |= (byte) 0x80;
                    fake.send(p);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            String key = PssstKeys.toHex((XECPublicKey) PssstKeys.generateKeyPair().getPublic());
            CliRun r = CliRun.run("send", "--server", "127.0.0.1:" + fake.getLocalPort(), "--server-key", key,
                    "--timeout", "300", "--retries", "0", "secret");
            answering.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1, r.status(), r::toString);
            assertEquals("", r.out());
            assertTrue(r.err().contains("1 invalid reply refused"), r::toString);
        }
    }

    @Test
    void send_missingServerKeyFile_exitsOne() {
        CliRun r = CliRun.run("send", "--server", "127.0.0.1:9", "--server-key", dir.resolve("nope.pub").toString(), "x");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("public key file not found"), r::toString);
    }

    @Test
    void send_badServerKey_exitsOne() throws Exception {
        Path bad = dir.resolve("bad.pub");
        Files.writeString(bad, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        CliRun r = CliRun.run("send", "--server", "127.0.0.1:9", "--server-key", bad.toString(), "x");
        assertEquals(1, r.status());
        assertTrue(r.errIsOneLine() && r.err().contains("not a usable X25519 public key"), r::toString);
    }

    @Test
    void send_privateKeyAsServerKey_refusedWithHint() {
        CliRun r = CliRun.run("send", "--server", "127.0.0.1:9", "--server-key", serverKey.toString(), "x");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("holds a private key"), r::toString);
    }

    @Test
    void send_missingClientKey_exitsOne() {
        CliRun r = CliRun.run("send", "--server", "127.0.0.1:9", "--server-key", serverKey + ".pub",
                "--key", dir.resolve("absent.key").toString(), "x");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("private key file not found"), r::toString);
    }

    @Test
    void send_badUsage_exitsTwo() {
        assertEquals(2, CliRun.run("send", "--server-key", serverKey + ".pub", "x").status());
        assertEquals(2, CliRun.run("send", "--server", "127.0.0.1", "--server-key", serverKey + ".pub").status());
        assertEquals(2, CliRun.run("send", "--server", "127.0.0.1:9", "--server-key", serverKey + ".pub",
                "--timeout", "0").status());
        assertEquals(2, CliRun.run("send", "--server", "127.0.0.1:99999", "--server-key", serverKey + ".pub").status());
    }

    @Test
    void send_stdinLargerThanAnyDatagram_saysSoWithoutAWrongSize() {
        CliRun r = CliRun.runWithInput(new byte[100_000], "send", "--server", "127.0.0.1:9", "--server-key",
                "2fe57da347cd62431528daac5fbb290730fff684afc4cfc2ed90995f58cb3b74", "-");
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.errIsOneLine() && r.err().contains("standard input holds more than"), r::toString);
    }

    @Test
    void send_serverKeyHexOfWrongLength_saysSoNotFileNotFound() {
        String hex = "2fe57da347cd62431528daac5fbb290730fff684afc4cfc2ed90995f58cb3b74";
        for (String key : new String[] {hex.substring(1), hex + "0"}) {
            CliRun r = CliRun.run("send", "--server", "127.0.0.1:9", "--server-key", key, "x");
            assertEquals(1, r.status(), r::toString);
            assertEquals("pssst send: the public key given is " + key.length() + " hex digits, where a hex X25519 public"
                    + " key has 64 (and no file has that name)\n", r.err());
        }
    }

    @Test
    void send_port0_usageErrorNotTheJdksText() {
        for (String[] argv : new String[][] {
            {"send", "--server", "127.0.0.1:0", "--server-key", serverKey + ".pub", "x"},
            {"bench", "--server", "127.0.0.1:0", "--server-key", serverKey + ".pub", "--requests", "1"},
        }) {
            CliRun r = CliRun.run(argv);
            assertEquals(Main.USAGE, r.status(), r::toString);
            assertTrue(r.errIsOneLine() && r.err().startsWith("pssst " + argv[0] + ": --server: port 0 cannot be sent to;"),
                    r::toString);
        }
    }

    @Test
    void send_limitedBroadcast_usageErrorBeforeAnySend() {
        CliRun r = CliRun.run("send", "--server", "255.255.255.255:7667", "--server-key", serverKey + ".pub", "x");
        assertEquals(Main.USAGE, r.status(), r::toString);
        assertTrue(r.errIsOneLine() && r.err().contains("255.255.255.255 is the broadcast address"), r::toString);
    }

    /** 127.255.255.255 is the loopback network's broadcast address (Linux: in the local routing table). */
    @Test
    void send_loopbackBroadcast_saysWhyNotBarePermissionDenied() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux"),
                "the loopback broadcast route is Linux's");
        CliRun r = CliRun.run("send", "--server", "127.255.255.255:7667", "--server-key", serverKey + ".pub",
                "--timeout", "200", "--retries", "0", "x");
        assertEquals(1, r.status(), r::toString);
        assertEquals("pssst send: cannot send to 127.255.255.255:7667: the system refused it (permission denied): a"
                + " broadcast address? A PSSST request goes to one server\n", r.err());
    }
}
