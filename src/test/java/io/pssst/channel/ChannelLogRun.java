package io.pssst.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstServer;
import io.pssst.internal.Forge;
import io.pssst.internal.Wire;
import io.pssst.testing.SeededRandom;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run of channels that makes the library log every kind of line it has, with given keys and
 * messages, for a test to search the records (PssstSecretsTest): a server with an allow-list
 * and its MXBean; an authenticated client's call; datagrams the server drops for every reason
 * loopback can produce (each twice, so the DEBUG summary comes too) and the client drops; a
 * reply the network refuses, a retransmission it refuses, and a receive error (ICMP port
 * unreachable on a connected client). Asserts that each of them happened.
 */
public final class ChannelLogRun {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);

    private ChannelLogRun() {
    }

    /**
     * @param serverKey the server's private key
     * @param serverPublic its public key
     * @param clientKey the authenticated client's private key
     * @param clientPublic its public key
     * @param random the client's randomness for its one call
     * @param message the call's request message
     * @param answer the server's reply message
     */
    public static void run(XECPrivateKey serverKey, XECPublicKey serverPublic, XECPrivateKey clientKey,
            XECPublicKey clientPublic, SecureRandom random, byte[] message, byte[] answer) throws Exception {
        try (PssstServerChannel server = PssstServerChannel.builder(serverKey)
                .clientPolicy(PssstClientPolicy.allowList(List.of(clientPublic))).open();
                PssstClientChannel client = PssstClientChannel.builder(serverPublic).clientKey(clientKey).random(random)
                        .open();
                DatagramChannel raw = DatagramChannel.open()) {
            server.bind(Loopback.any("127.0.0.1"));
            client.bind(Loopback.any("127.0.0.1"));
            server.registerMXBean();
            client.registerMXBean();
            SocketAddress to = server.getLocalAddress();
            CompletableFuture<ByteBuffer> call = client.callAsync(ByteBuffer.wrap(message), to, Duration.ofSeconds(10));
            ByteBuffer got = ByteBuffer.allocate(message.length);
            server.receiveRequest(got).reply(ByteBuffer.wrap(answer));
            ByteBuffer reply = call.get(10, TimeUnit.SECONDS);
            byte[] replied = new byte[reply.remaining()];
            reply.get(replied);
            assertArrayEquals(answer, replied);

            PssstClient anonymous = PssstClient.anonymous(serverPublic);
            PackedRequest packed = anonymous.pack(message);
            byte[] request = packed.datagram();
            byte[] aReply = PssstServer.create(serverKey).open(request).seal(answer);
            byte[] otherSuite = request.clone();
            otherSuite[3] ^= 1;
            byte[] badProof = Forge.request(serverPublic, Wire.FLAG_CLIENT_AUTH,
                    Forge.proofPayload(io.pssst.PssstKeys.toRaw(clientPublic), new byte[32], message), SeededRandom.of(5));
            XECPublicKey otherServer = (XECPublicKey) io.pssst.PssstKeys.generateKeyPair().getPublic();
            byte[] forAnotherServer = PssstClient.authenticated(otherServer, clientKey).pack(message).datagram();
            // malformed, wrong direction, unsupported suite, policy refused (anonymous), client auth failed, decrypt failed
            List<byte[]> toServer = List.of(new byte[10], aReply, otherSuite, request, badProof, forAnotherServer);
            for (byte[] d : toServer) {
                for (int i = 0; i < 2; i++) {
                    raw.send(ByteBuffer.wrap(d), to);
                }
            }
            server.configureBlocking(false);
            awaitDrops(server, 2L * toServer.size(), () -> server.receive(ByteBuffer.allocate(100)));
            for (byte[] d : List.of(new byte[10], request, aReply)) {
                for (int i = 0; i < 2; i++) {
                    raw.send(ByteBuffer.wrap(d), client.getLocalAddress());
                }
            }
            client.configureBlocking(false);
            awaitDrops(client, 6, () -> client.receive(ByteBuffer.allocate(100)));
        }
        replyRefused(serverKey, serverPublic, message, answer);
        retransmissionRefused(serverPublic, message);
        portUnreachable(serverPublic, message);
    }

    private interface Receive {
        void run() throws IOException;
    }

    private static void awaitDrops(PssstDatagramChannel ch, long drops, Receive receive) throws Exception {
        for (int i = 0; i < 500 && ch.stats().droppedTotal() < drops; i++) {
            receive.run();
            Thread.sleep(10);
        }
        assertEquals(drops, ch.stats().droppedTotal(), ch.stats()::toString);
    }

    /** A server whose inner channel refuses the reply (the network refuses its destination). */
    private static void replyRefused(XECPrivateKey serverKey, XECPublicKey serverPublic, byte[] message, byte[] answer)
            throws Exception {
        DatagramChannel inner = mockInner(true);
        byte[] request = PssstClient.anonymous(serverPublic).pack(message).datagram();
        when(inner.receive(any())).thenAnswer(inv -> {
            ((ByteBuffer) inv.getArgument(0)).put(request);
            return PEER;
        });
        when(inner.send(any(), any())).thenThrow(new SocketException("Network is unreachable"));
        try (PssstServerChannel server = PssstServerChannel.builder(serverKey).wrap(inner)) {
            SocketAddress from = server.receive(ByteBuffer.allocate(message.length));
            server.send(ByteBuffer.wrap(answer), from);
            assertEquals(1, server.stats().replySendFailures());
        }
    }

    /** A client whose inner channel sends a call's first copy, then refuses the retransmissions. */
    private static void retransmissionRefused(XECPublicKey serverPublic, byte[] message) throws Exception {
        DatagramChannel inner = mockInner(false);
        AtomicInteger sends = new AtomicInteger();
        when(inner.send(any(), any())).thenAnswer(inv -> {
            if (sends.getAndIncrement() > 0) {
                throw new IOException("No buffer space available");
            }
            ByteBuffer b = inv.getArgument(0);
            int n = b.remaining();
            b.position(b.limit());
            return n;
        });
        try (PssstClientChannel client = PssstClientChannel.builder(serverPublic)
                .retryPolicy(PssstRetryPolicy.of(Duration.ofMillis(10), 1.0, Duration.ofMillis(10), 3)).wrap(inner)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.callAsync(ByteBuffer.wrap(message), PEER).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof PssstTimeoutException, e::toString);
            assertTrue(client.stats().sendFailures() >= 1, client.stats()::toString); // attempt 3 may come after the timeout
        }
    }

    /** A connected client calling a port nobody listens on: its call pump's receive fails with ICMP port unreachable. */
    private static void portUnreachable(XECPublicKey serverPublic, byte[] message) throws Exception {
        InetSocketAddress closed;
        try (DatagramChannel gone = DatagramChannel.open().bind(Loopback.any("127.0.0.1"))) {
            closed = (InetSocketAddress) gone.getLocalAddress();
        }
        try (PssstClientChannel client = PssstClientChannel.builder(serverPublic)
                .retryPolicy(PssstRetryPolicy.of(Duration.ofMillis(50), 1.0, Duration.ofMillis(50), 4)).open()) {
            client.connect(closed);
            assertThrows(PssstTimeoutException.class, () -> client.call(ByteBuffer.wrap(message), Duration.ofMillis(400)));
        }
    }

    private static DatagramChannel mockInner(boolean blocking) {
        DatagramChannel inner = mock(DatagramChannel.class);
        when(inner.isOpen()).thenReturn(true);
        when(inner.isBlocking()).thenReturn(blocking);
        return inner;
    }

    /** The lines the run must have produced, one per kind the library logs. */
    public static List<String> expectedLines() {
        return new ArrayList<>(List.of("registered the MXBean io.pssst:type=ServerChannel",
                "registered the MXBean io.pssst:type=ClientChannel", "unregistered the MXBean",
                "dropped a datagram: MALFORMED", "dropped a datagram: WRONG_DIRECTION",
                "dropped a datagram: UNSUPPORTED_SUITE", "dropped a datagram: POLICY_REFUSED",
                "dropped a datagram: CLIENT_AUTH_FAILED", "dropped a datagram: DECRYPT_FAILED",
                "dropped a datagram: UNMATCHED_REPLY",
                "datagrams dropped so far, by reason", "a reply could not be sent: java.net.SocketException",
                "a request could not be sent: java.io.IOException", "a receive failed: java.net.PortUnreachableException"));
    }
}
