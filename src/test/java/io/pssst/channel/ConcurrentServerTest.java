package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One non-blocking server channel in a PSSST selector, next to a plain JDK channel in the same
 * selector, serving 100 concurrent clients × 100 requests each; every reply is checked.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConcurrentServerTest {
    private static final int CLIENTS = 100;
    private static final int REQUESTS = 100;

    /** The event loop of the "before/after": the same code would serve a JDK channel. */
    private static void serve(Selector selector, AtomicBoolean stop) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
        while (!stop.get()) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                DatagramChannel ch = (DatagramChannel) key.channel();
                for (int i = 0; i < 64; i++) {
                    buf.clear();
                    SocketAddress from = ch.receive(buf);
                    if (from == null) {
                        break;
                    }
                    buf.flip();
                    String reply = "re:" + StandardCharsets.UTF_8.decode(buf);
                    ByteBuffer out = ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8));
                    for (int spins = 0; ch.send(out, from) == 0 && spins < 10_000; spins++) {
                        Thread.onSpinWait(); // socket full: the reply stays sealed, retry
                    }
                }
            }
            selector.selectedKeys().clear();
        }
    }

    @Test
    void nonBlockingServerInSelector_100ClientsX100Requests_allRepliesVerified() throws Exception {
        PssstServerChannel server = PssstDatagramChannel.openServer(Loopback.serverPrivate());
        server.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        server.bind(any("127.0.0.1")).configureBlocking(false);
        DatagramChannel plain = DatagramChannel.open().bind(any("127.0.0.1"));
        plain.configureBlocking(false);
        Selector selector = PssstSelector.open();
        SelectionKey pssstKey = server.register(selector, SelectionKey.OP_READ);
        plain.register(selector, SelectionKey.OP_READ);
        assertTrue(pssstKey.channel() == server);

        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread loop = new Thread(() -> {
            try {
                serve(selector, stop);
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "event-loop");
        loop.start();

        AtomicInteger verified = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(CLIENTS);
        List<PssstClientChannel> clients = new ArrayList<>();
        SocketAddress serverAddress = server.getLocalAddress();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic())
                        .retryPolicy(PssstRetryPolicy.of(Duration.ofMillis(500), 2, Duration.ofSeconds(2), 8)).open();
                clients.add(client);
                int id = c;
                Thread t = new Thread(() -> {
                    try {
                        for (int r = 0; r < REQUESTS; r++) {
                            String q = "client " + id + " request " + r;
                            ByteBuffer reply = client.call(ByteBuffer.wrap(q.getBytes(StandardCharsets.UTF_8)),
                                    serverAddress, Duration.ofSeconds(60));
                            assertEquals("re:" + q, StandardCharsets.UTF_8.decode(reply).toString());
                            verified.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        done.countDown();
                    }
                }, "client-" + c);
                t.start();
            }
            // the plain JDK channel in the same selector is served by the same loop
            try (DatagramChannel jdkClient = DatagramChannel.open()) {
                jdkClient.send(ByteBuffer.wrap("plain".getBytes(StandardCharsets.UTF_8)), plain.getLocalAddress());
                ByteBuffer in = ByteBuffer.allocate(64);
                jdkClient.receive(in);
                assertEquals("re:plain", new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
            }
            assertTrue(done.await(280, TimeUnit.SECONDS), "clients did not finish: " + verified.get());
        } finally {
            stop.set(true);
            loop.join(10_000);
            for (PssstClientChannel c : clients) {
                c.close();
            }
            selector.close();
            server.close();
            plain.close();
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures.peek());
        assertEquals(CLIENTS * REQUESTS, verified.get());
        PssstChannelStats s = server.stats();
        assertEquals(0, s.droppedTotal(), s.toString());
        assertTrue(s.repliesSent() >= CLIENTS * REQUESTS, s.toString());
        assertEquals(s.requestsAccepted(), s.repliesSent() + s.replyContextsExpired() + s.replyContextsEvicted());
    }
}
