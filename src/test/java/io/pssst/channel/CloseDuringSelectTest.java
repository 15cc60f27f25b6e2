package io.pssst.channel;

import static io.pssst.channel.Loopback.string;
import static io.pssst.channel.Loopback.utf8;
import static io.pssst.channel.SelectorTesting.await;
import static io.pssst.channel.SelectorTesting.joinBounded;
import static io.pssst.channel.SelectorTesting.loopback;
import static io.pssst.channel.SelectorTesting.openJdkDatagram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A PSSST channel closed while it is registered and a selection is in progress: from the
 * selecting thread's own action, and from another thread while an event loop selects. The
 * key goes, the socket is released, and the selector keeps serving the other channels.
 */
@Timeout(60)
class CloseDuringSelectTest {

    @Test
    void close_fromSelectAction_keyRemovedAndSocketReleasedWhenSelectReturns() throws Exception {
        try (PssstSelector selector = PssstSelector.open();
             DatagramChannel plain = openJdkDatagram()) {
            PssstServerChannel server = PssstDatagramChannel.openServer(Loopback.serverPrivate());
            server.bind(loopback()).configureBlocking(false);
            SocketAddress address = server.getLocalAddress();
            SelectionKey key = server.register(selector, SelectionKey.OP_WRITE);   // ready at once
            SelectionKey plainKey = plain.register(selector, SelectionKey.OP_WRITE);
            AtomicBoolean closedInAction = new AtomicBoolean();
            int n = selector.selectNow(k -> {
                if (k == key) {
                    SelectorTesting.io(k.channel()::close);
                    closedInAction.set(true);
                }
            });
            assertEquals(2, n);
            assertTrue(closedInAction.get());
            assertFalse(key.isValid());
            assertFalse(server.isOpen());
            assertFalse(server.inner().isOpen());
            assertFalse(selector.keys().contains(key));
            assertFalse(server.inner().isRegistered());
            try (DatagramChannel rebound = DatagramChannel.open()) {
                rebound.bind(address);                       // released as select returned
            }
            assertEquals(1, selector.selectNow());           // the other channel is still served
            assertEquals(java.util.Set.of(plainKey), selector.selectedKeys());
        }
    }

    @Test
    void close_fromAnotherThreadWhileLoopSelects_keyRemovedSocketReleasedLoopServesTheRest() throws Exception {
        PssstServerChannel server = PssstDatagramChannel.openServer(Loopback.serverPrivate());
        server.bind(loopback()).configureBlocking(false);
        SocketAddress serverAddress = server.getLocalAddress();
        AtomicBoolean stop = new AtomicBoolean();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (PssstSelector selector = PssstSelector.open();
             DatagramChannel plain = openJdkDatagram();
             DatagramChannel jdkClient = DatagramChannel.open();
             PssstClientChannel client = PssstDatagramChannel.openClient(Loopback.serverPublic())) {
            SelectionKey key = server.register(selector, SelectionKey.OP_READ);
            plain.register(selector, SelectionKey.OP_READ);
            Thread loop = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(2048);
                try {
                    while (!stop.get()) {
                        selector.select(k -> SelectorTesting.io(() -> echo((DatagramChannel) k.channel(), buf)), 50);
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "event-loop");
            loop.start();
            try {
                assertEquals("pssst", string(client.call(utf8("pssst"), serverAddress, Duration.ofSeconds(20))));

                server.close();                              // while the loop selects
                assertFalse(key.isValid());
                await(() -> !selector.keys().contains(key), "the closed channel's key left the key set");
                await(() -> canBind(serverAddress), "the closed channel's socket was released");

                jdkClient.send(utf8("still served"), plain.getLocalAddress());
                ByteBuffer in = ByteBuffer.allocate(64);
                jdkClient.receive(in);
                assertEquals("still served", string(in.flip()));
            } finally {
                stop.set(true);
                selector.wakeup();
                joinBounded(loop);
            }
            assertTrue(errors.isEmpty(), () -> "event loop failed: " + errors);
        }
    }

    @Test
    void close_innerCloseFails_channelClosedAnywayAndCallsFailed() throws Exception {
        DatagramChannel inner = mock(DatagramChannel.class);
        when(inner.isOpen()).thenReturn(true);
        when(inner.isBlocking()).thenReturn(false);
        doThrow(new IOException("close failed")).when(inner).close();
        PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic()).wrap(inner);
        when(inner.send(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any())).thenAnswer(inv -> {
            ByteBuffer b = inv.getArgument(0);
            int n = b.remaining();
            b.position(b.limit());
            return n;
        });
        CompletableFuture<ByteBuffer> call = client.callAsync(utf8("pending"), new java.net.InetSocketAddress("127.0.0.1", 9));
        assertEquals("close failed", assertThrows(IOException.class, client::close).getMessage());
        assertFalse(client.isOpen());
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AsynchronousCloseException.class, e.getCause());
        assertEquals(0, client.outstandingRequests());
    }

    /**
     * Answers every datagram with its own bytes (the PSSST server seals them as the reply). A
     * channel that another thread closes meanwhile is skipped, as an event loop must.
     */
    private static void echo(DatagramChannel ch, ByteBuffer buf) throws IOException {
        try {
            SocketAddress from;
            while ((from = ch.receive(buf.clear())) != null) {
                ch.send(buf.flip(), from);
            }
        } catch (ClosedChannelException e) {
            // closed by another thread during the selection: its key is already invalid
        }
    }

    private static boolean canBind(SocketAddress address) {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
