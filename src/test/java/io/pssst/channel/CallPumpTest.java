package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.string;
import static io.pssst.channel.Loopback.utf8;
import static io.pssst.channel.SelectorTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.channel.Loopback.ReversingServer;
import io.pssst.channel.PssstChannelStats.DropReason;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking-mode call pump: while a call is outstanding it reads every reply, hands the
 * ones that answer plain or explicit requests to the next {@code receive}/{@code receiveReply}
 * (a bounded queue whose overflow is counted), and leaves the channel usable when a call is
 * interrupted or cancelled. A call to a black hole keeps the pump running; every wait is
 * on a counter, never on time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallPumpTest {
    private ReversingServer server;
    private DatagramChannel blackHole;
    private PssstClientChannel client;

    @BeforeEach
    void open() throws Exception {
        server = new ReversingServer("127.0.0.1");
        blackHole = DatagramChannel.open().bind(any("127.0.0.1"));
        client = PssstClientChannel.builder(Loopback.serverPublic())
                .retryPolicy(PssstRetryPolicy.noRetransmission(Duration.ofMinutes(1))).open();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        blackHole.close();
        server.close();
    }

    /** A call nobody answers: the pump reads replies for as long as it is outstanding. */
    private CompletableFuture<ByteBuffer> keepPumpRunning() throws Exception {
        return client.callAsync(utf8("never answered"), blackHole.getLocalAddress());
    }

    @Test
    void pumpReadsPlainAndExplicitReplies_handedToReceiveAndReceiveReply() throws Exception {
        keepPumpRunning();
        client.send(utf8("plain"), server.address);
        PssstRequestId id = client.sendRequest(utf8("explicit"), server.address);
        await(() -> client.stats().repliesAccepted() + client.stats().datagramsReceived() >= 2,
                "the pump read both replies");

        ByteBuffer dst = ByteBuffer.allocate(64);
        PssstReply first = client.receiveReply(dst);
        String firstText = string(ByteBuffer.wrap(dst.array(), 0, dst.position()));
        dst.clear();
        PssstReply second = client.receiveReply(dst);
        String secondText = string(ByteBuffer.wrap(dst.array(), 0, dst.position()));
        Set<String> got = new HashSet<>(Set.of(firstText, secondText));
        assertEquals(Set.of("nialp", "ticilpxe"), got);
        assertEquals(id, (firstText.equals("ticilpxe") ? first : second).requestId());
        assertEquals(2, client.stats().repliesAccepted());
        assertEquals(0, client.stats().droppedTotal());
        assertEquals(1, client.outstandingRequests());           // the black-hole call
    }

    @Test
    void switchToNonBlocking_whilePumpReceives_nonBlockingReceiveNeverBlocks() {
        // The JDK's timed receive (which the pump uses) restores its socket to blocking when it
        // ends; racing configureBlocking(false) it could leave a non-blocking channel on a
        // blocking socket, and this receive then hung for good (seen in a full build; without
        // the fix, 400 rounds of this loop hung or timed out in 2 runs of 2). Each round waits
        // for the pump's current slice, so 150 rounds take about 15 s.
        java.util.Random random = new java.util.Random(42);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(50), () -> {
            ByteBuffer dst = ByteBuffer.allocate(64);
            for (int i = 0; i < 150; i++) {
                client.configureBlocking(true);
                keepPumpRunning();
                TimeUnit.MICROSECONDS.sleep(random.nextInt(3_000));
                client.configureBlocking(false);
                assertEquals(null, client.receive(dst.clear()), "nothing was sent to the client");
            }
        });
    }

    @Test
    void pumpHandOffQueueFull_overflowCountedTheRestDelivered() throws Exception {
        keepPumpRunning();
        int n = 70;
        for (int i = 0; i < n; i++) {
            client.send(utf8("m" + i), server.address);
        }
        await(() -> client.stats().datagramsReceived() >= n, "the pump read every reply");
        long overflow = client.stats().dropped(DropReason.HANDOFF_OVERFLOW);
        assertEquals(n - 64, overflow, client.stats().toString());
        client.configureBlocking(false);                         // the pump stops; receive reads the queue
        int delivered = 0;
        ByteBuffer dst = ByteBuffer.allocate(64);
        while (client.receive(dst.clear()) != null) {
            delivered++;
        }
        assertEquals(64, delivered);
        assertEquals(64, client.stats().repliesAccepted());
    }

    @Test
    void call_interrupted_interruptedIoExceptionChannelOpenRequestAbandoned() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                client.call(utf8("wait"), blackHole.getLocalAddress(), Duration.ofMinutes(1));
            } catch (Throwable t) {
                thrown.set(t);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        }, "caller");
        caller.start();
        await(() -> client.outstandingRequests() == 1, "the call is outstanding");
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(caller.isAlive());
        assertInstanceOf(InterruptedIOException.class, thrown.get());
        assertTrue(interruptKept.get(), "the interrupt status is kept");
        assertTrue(client.isOpen());
        assertEquals(0, client.outstandingRequests());
        assertEquals("ti ekam", string(client.call(utf8("make it"), server.address, Duration.ofSeconds(20))));
    }

    @Test
    void callAsync_cancelled_requestAbandoned() throws Exception {
        CompletableFuture<ByteBuffer> f = keepPumpRunning();
        assertEquals(1, client.outstandingRequests());
        assertTrue(f.cancel(false));
        assertEquals(0, client.outstandingRequests());
        assertNotNull(client.callAsync(utf8("after"), server.address).get(20, TimeUnit.SECONDS));
    }
}
