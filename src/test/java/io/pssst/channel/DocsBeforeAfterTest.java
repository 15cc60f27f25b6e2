package io.pssst.channel;

import static io.pssst.channel.Loopback.string;
import static io.pssst.channel.Loopback.utf8;
import static io.pssst.channel.SelectorTesting.joinBounded;
import static io.pssst.channel.SelectorTesting.loopback;
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
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "Before and after" examples of docs/channel.md, run on loopback: the same event-loop
 * server and the same blocking client, once with the JDK's channels and selector ("before")
 * and once with PSSST's ("after"), where only the lines the page marks "changed" differ.
 * (Differences from the page: a stop flag instead of {@code while (true)}, a timeout on
 * {@code select}, loopback instead of port 9000 and {@code server.example}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocsBeforeAfterTest {

    /** The page's {@code handle}: any request/response logic; here, upper-case. */
    static ByteBuffer handle(ByteBuffer request) {
        String text = StandardCharsets.UTF_8.decode(request).toString();
        return utf8(text.toUpperCase(Locale.ROOT));
    }

    /** The page's event loop, from {@code configureBlocking} on, unchanged. */
    private static void serve(DatagramChannel ch, Selector selector, AtomicBoolean stop) throws IOException {
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
        ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
        while (!stop.get()) {
            selector.select(50);
            for (SelectionKey key : selector.selectedKeys()) {
                DatagramChannel c = (DatagramChannel) key.channel();
                SocketAddress from;
                while ((from = c.receive(buf.clear())) != null) {
                    ByteBuffer reply = handle(buf.flip());
                    c.send(reply, from);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** The page's blocking client, after its first line (and {@code connect}), unchanged. */
    private static String ask(DatagramChannel ch, ByteBuffer request) throws IOException {
        ch.write(request);
        ByteBuffer reply = ByteBuffer.allocate(65_536);
        ch.read(reply);
        return string(reply.flip());
    }

    /** Runs the page's event loop on its own thread until {@link #close()}. */
    private static final class Loop implements AutoCloseable {
        private final Selector selector;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        private final Thread thread;

        Loop(DatagramChannel ch, Selector selector) {
            this.selector = selector;
            this.thread = new Thread(() -> {
                try {
                    serve(ch, selector, stop);
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "event-loop");
            thread.start();
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            selector.wakeup();
            joinBounded(thread);
            assertTrue(errors.isEmpty(), () -> "event loop failed: " + errors);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"before", "after"})
    void eventLoopServerAndBlockingClient_sameCodeOverJdkOrPssstChannels(String version) throws Exception {
        boolean after = version.equals("after");
        try (DatagramChannel ch = after
                    ? PssstDatagramChannel.openServer(Loopback.serverPrivate()).bind(loopback())    // changed
                    : DatagramChannel.open().bind(loopback());
                Selector selector = after ? PssstSelector.open() : Selector.open();              // changed
                DatagramChannel client = after
                    ? PssstDatagramChannel.openClient(Loopback.serverPublic())                    // changed
                    : DatagramChannel.open()) {
            try (Loop loop = new Loop(ch, selector)) {
                client.connect(ch.getLocalAddress());
                assertEquals("HELLO", ask(client, utf8("hello")));
                assertEquals("AGAIN", ask(client, utf8("again")));
            }
            if (after) {
                assertEquals(2, ((PssstServerChannel) ch).stats().repliesSent());
            }
        }
    }

    /** The page's last client example: the channel does retries and timeouts. */
    @Test
    void callAndCallAsync_againstThePageServerLoop() throws Exception {
        try (PssstServerChannel ch = PssstDatagramChannel.openServer(Loopback.serverPrivate());
                Selector selector = PssstSelector.open();
                PssstClientChannel client = PssstDatagramChannel.openClient(Loopback.serverPublic())) {
            ch.bind(loopback());
            try (Loop loop = new Loop(ch, selector)) {
                client.connect(ch.getLocalAddress());
                assertEquals("CALL", string(client.call(utf8("call"), Duration.ofSeconds(20))));
                assertEquals("ASYNC", string(client.callAsync(utf8("async")).get(20, TimeUnit.SECONDS)));
            }
        }
    }
}
