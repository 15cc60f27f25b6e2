package io.pssst.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.internal.Bytes;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One datagram with a forged source port 0 must not stop {@code pssst serve} (issue 8,
 * item 2). Before the fix, answering it threw "Can't send to port 0", the server stopped and
 * the process exited 0. Here a real, valid authenticated request (as an attacker who
 * captured one would replay it) goes to a real {@code serve --require-auth} from UDP source
 * port 0, through a raw socket (Python, needs CAP_NET_RAW: skipped with a message without
 * it); the server drops it before any X25519, counts it, and answers the next request.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SpoofedSourceIT {
    /** Sends argv[3] (hex) as one UDP datagram from 127.0.0.1:argv[1] to 127.0.0.1:argv[2], through a raw socket. */
    private static final String RAW_SEND = """
            import socket, struct, sys
            def checksum(b):
                if len(b) % 2:
                    b += b'\\0'
                s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
                s = (s >> 16) + (s & 0xffff)
                s += s >> 16
                return ~s & 0xffff
            sport, dport, payload = int(sys.argv[1]), int(sys.argv[2]), bytes.fromhex(sys.argv[3])
            try:
                s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
            except PermissionError as e:
                print('no raw socket:', e)
                sys.exit(77)
            length = 8 + len(payload)
            pseudo = socket.inet_aton('127.0.0.1') * 2 + struct.pack('!BBH', 0, 17, length)
            c = checksum(pseudo + struct.pack('!HHHH', sport, dport, length, 0) + payload) or 0xffff
            s.sendto(struct.pack('!HHHH', sport, dport, length, c) + payload, ('127.0.0.1', 0))
            """;

    @Test
    void requestFromPort0_droppedAndCounted_serverAnswersTheNextOne() throws Exception {
        PssstJar pssst = PssstJar.forTest("spoofed-source");
        Path serverKey = pssst.keygen("server.key");
        Path clientKey = pssst.keygen("client.key");
        Path script = Files.writeString(pssst.dir().resolve("raw_send.py"), RAW_SEND);
        PssstClient client = PssstClient.authenticated(PssstJar.publicKey(Path.of(serverKey + ".pub")),
                PssstJar.privateKey(clientKey));
        try (PoolServer server = PoolServer.tryStart(pssst, "victim", "127.0.0.1:0", serverKey, "--require-auth")) {
            if (server == null) {
                throw new AssertionError("serve could not listen on 127.0.0.1:0");
            }
            PackedRequest captured = client.pack("captured".getBytes(StandardCharsets.UTF_8));
            int status;
            try (PoolProcess raw = PoolProcess.start("raw-send", pssst.dir(), Duration.ofSeconds(30),
                    java.util.List.of("python3", script.toString(), "0", Integer.toString(server.address.getPort()),
                            Bytes.hex(captured.datagram())))) {
                status = raw.waitFor(Duration.ofSeconds(20));
                assumeTrue(status != 77, () -> "raw sockets are not permitted here (CAP_NET_RAW): " + raw.output());
                assertEquals(0, status, raw::output);
            }
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.bind(new InetSocketAddress("127.0.0.1", 0));
                PackedRequest next = client.pack("still there?".getBytes(StandardCharsets.UTF_8));
                ch.socket().setSoTimeout(5_000);
                byte[] reply = null;
                for (int attempt = 0; attempt < 5 && reply == null; attempt++) { // bounded retries, as a client would
                    ch.send(ByteBuffer.wrap(next.datagram()), server.address);
                    reply = receive(ch);
                }
                byte[] got = reply;
                org.junit.jupiter.api.Assertions.assertNotNull(got,
                        () -> "no reply in 5 tries of 5 s: the server stopped?\n" + server.output());
                assertArrayEquals("victim: still there?".getBytes(StandardCharsets.UTF_8), next.openReply(reply),
                        server::output);
            }
            PoolServer.Stats stats = server.stop();
            assertEquals(1, stats.requests(), server::output);
            assertEquals(1, stats.replies(), server::output);
            assertEquals("unanswerable-source 1", stats.refused(), server::output);
        }
    }

    private static byte[] receive(DatagramChannel ch) throws java.io.IOException {
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
        try {
            ch.socket().receive(p);
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }
}
