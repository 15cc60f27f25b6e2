package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.channel.Loopback.ReversingServer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A UDP proxy on loopback that drops 20% of datagrams in each direction, duplicates 10% and
 * holds some back to reorder them (seeded, so runs repeat). With retransmission every request
 * completes, each reply matches its own request, and duplicates are dropped and counted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LossyProxyTest {

    /** Forwards client→server and server→client (one client), losing, duplicating and reordering. */
    static final class LossyProxy implements AutoCloseable {
        final DatagramChannel front; // clients talk to this
        final DatagramChannel back;  // talks to the server
        private final SocketAddress server;
        private final Random random = new Random(20_260_101L);
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private SocketAddress client;
        // written by the proxy thread only, read by the test
        volatile int dropped;
        volatile int duplicated;
        volatile int reordered;

        LossyProxy(SocketAddress server) throws IOException {
            this.server = server;
            front = DatagramChannel.open().bind(any("127.0.0.1"));
            back = DatagramChannel.open().bind(any("127.0.0.1"));
            front.configureBlocking(false);
            back.configureBlocking(false);
            thread = new Thread(this::run, "lossy-proxy");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            ByteBuffer buf = ByteBuffer.allocate(65_536);
            List<byte[]> heldToServer = new ArrayList<>();
            List<byte[]> heldToClient = new ArrayList<>();
            try (java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
                front.register(sel, java.nio.channels.SelectionKey.OP_READ);
                back.register(sel, java.nio.channels.SelectionKey.OP_READ);
                while (!stop.get()) {
                    sel.select(5);
                    sel.selectedKeys().clear();
                    SocketAddress from;
                    while ((from = front.receive(buf.clear())) != null) {
                        client = from;
                        forward(buf, back, server, heldToServer);
                    }
                    while (back.receive(buf.clear()) != null) {
                        if (client != null) {
                            forward(buf, front, client, heldToClient);
                        }
                    }
                    // release held datagrams now and then: they arrive after later ones
                    if (random.nextInt(4) == 0) {
                        flush(heldToServer, back, server);
                        if (client != null) {
                            flush(heldToClient, front, client);
                        }
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void forward(ByteBuffer buf, DatagramChannel out, SocketAddress to, List<byte[]> held) throws IOException {
            buf.flip();
            byte[] d = new byte[buf.remaining()];
            buf.get(d);
            int roll = random.nextInt(100);
            if (roll < 20) {
                dropped++;
                return;
            }
            if (roll < 30) {
                duplicated++;
                out.send(ByteBuffer.wrap(d), to);
            }
            if (roll >= 90) {
                reordered++;
                held.add(d);
                return;
            }
            out.send(ByteBuffer.wrap(d), to);
        }

        private static void flush(List<byte[]> held, DatagramChannel out, SocketAddress to) throws IOException {
            for (int i = held.size() - 1; i >= 0; i--) {
                out.send(ByteBuffer.wrap(held.get(i)), to);
            }
            held.clear();
        }

        @Override
        public void close() throws IOException {
            stop.set(true);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            front.close();
            back.close();
        }
    }

    @Test
    void callAsync_through20PercentLossDuplicationAndReordering_everyRequestCompletes() throws Exception {
        int n = 200;
        try (ReversingServer server = new ReversingServer("127.0.0.1");
                LossyProxy proxy = new LossyProxy(server.address);
                PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic())
                        .retryPolicy(PssstRetryPolicy.of(Duration.ofMillis(30), 1.5, Duration.ofMillis(500), 40)).open()) {
            SocketAddress target = proxy.front.getLocalAddress();
            List<CompletableFuture<ByteBuffer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(client.callAsync(ByteBuffer.wrap(("request " + i).getBytes(StandardCharsets.UTF_8)), target));
            }
            for (int i = 0; i < n; i++) {
                ByteBuffer reply = futures.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(Loopback.reverse("request " + i), StandardCharsets.UTF_8.decode(reply).toString());
            }
            proxy.close(); // nothing more in flight: the counters settle
            PssstChannelStats s = settled(client);
            assertEquals(n, s.repliesAccepted());
            assertEquals(n, s.requestsSent());
            assertTrue(s.retransmissions() > 0, s.toString());
            assertTrue(proxy.dropped > 0 && proxy.duplicated > 0 && proxy.reordered > 0);
            assertEquals(0, s.requestsTimedOut());
            long surplus = s.dropped(PssstChannelStats.DropReason.DUPLICATE_REPLY)
                    + s.dropped(PssstChannelStats.DropReason.LATE_REPLY)
                    + s.dropped(PssstChannelStats.DropReason.UNMATCHED_REPLY);
            assertEquals(s.droppedTotal(), surplus, "only surplus copies may be dropped: " + s);
            assertEquals(0, client.outstandingRequests());
        }
    }

    /**
     * A snapshot in which every datagram read was also delivered or dropped: the call pump
     * counts a datagram as received before it decides what it is, so a snapshot taken while it
     * is between the two shows one more. Waits (bounded) for one, once nothing is in flight.
     */
    private static PssstChannelStats settled(PssstClientChannel client) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            PssstChannelStats s = client.stats();
            if (s.datagramsReceived() == s.repliesAccepted() + s.droppedTotal()) {
                return s;
            }
            assertTrue(System.nanoTime() - end < 0, "received datagrams unaccounted for: " + s);
            Thread.sleep(5);
        }
    }

    @Test
    void blockingCall_through20PercentLoss_everyRequestCompletes() throws Exception {
        try (ReversingServer server = new ReversingServer("127.0.0.1");
                LossyProxy proxy = new LossyProxy(server.address);
                PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic())
                        .retryPolicy(PssstRetryPolicy.of(Duration.ofMillis(30), 1.5, Duration.ofMillis(500), 40)).open()) {
            client.connect(proxy.front.getLocalAddress());
            for (int i = 0; i < 50; i++) {
                ByteBuffer reply = client.call(ByteBuffer.wrap(("b" + i).getBytes(StandardCharsets.UTF_8)),
                        Duration.ofSeconds(30));
                assertEquals(Loopback.reverse("b" + i), StandardCharsets.UTF_8.decode(reply).toString());
            }
            assertEquals(50, client.stats().repliesAccepted());
        }
    }
}
