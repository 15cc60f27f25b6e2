package io.pssst.channel;

import static io.pssst.channel.SelectorTesting.bytes;
import static io.pssst.channel.SelectorTesting.io;
import static io.pssst.channel.SelectorTesting.local;
import static io.pssst.channel.SelectorTesting.loopback;
import static io.pssst.channel.SelectorTesting.openJdkDatagram;
import static io.pssst.channel.SelectorTesting.send;
import static io.pssst.channel.SelectorTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Event loops that serve plain JDK channels and PSSST-style channels in one selector. */
@Timeout(60)
class PssstSelectorLoopTest {
    private static final int PER_CLIENT = 20;

    private enum Role { SERVER, CLIENT }

    @ParameterizedTest
    @ValueSource(strings = {"selectedKeys", "consumer"})
    void loop_plainAndWrappedDatagramChannels_servesBothThroughTheRegisteredChannel(String form)
            throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             DatagramChannel plainServer = openJdkDatagram();
             DatagramChannel plainClient = openJdkDatagram();
             ScrambledDatagramChannel wrappedServer = ScrambledDatagramChannel.openLoopback();
             ScrambledDatagramChannel wrappedClient = ScrambledDatagramChannel.openLoopback()) {
            SelectionKey plainKey = plainServer.register(selector, SelectionKey.OP_READ, Role.SERVER);
            SelectionKey wrappedKey = wrappedServer.register(selector, SelectionKey.OP_READ, Role.SERVER);
            plainClient.register(selector, SelectionKey.OP_READ, Role.CLIENT);
            wrappedClient.register(selector, SelectionKey.OP_READ, Role.CLIENT);
            assertSame(plainServer, plainKey.channel());
            assertSame(wrappedServer, wrappedKey.channel());
            assertNotSame(wrappedServer.inner(), wrappedKey.channel());

            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < PER_CLIENT; i++) {
                send(plainClient, "plain " + i, local(plainServer));
                send(wrappedClient, "wrapped " + i, local(wrappedServer));
                expected.add("PLAIN " + i);
                expected.add("WRAPPED " + i);
            }
            Set<String> replies = new TreeSet<>();
            List<SelectionKey> seen = new ArrayList<>();
            ByteBuffer buf = ByteBuffer.allocate(2048);
            Consumer<SelectionKey> serve = key -> {
                seen.add(key);
                io(() -> handle(key, buf, replies));
            };
            SelectorTesting.serveUntil(selector, form, serve, () -> replies.size() == expected.size());
            assertEquals(expected, replies);
            for (SelectionKey key : seen) {
                assertTrue(Set.of(plainServer, plainClient, wrappedServer, wrappedClient)
                        .contains(key.channel()), "a key exposed an unregistered channel");
            }
        }
    }

    /** What an unchanged JDK loop does: cast key.channel() and receive/send through it. */
    private static void handle(SelectionKey key, ByteBuffer buf, Set<String> replies)
            throws IOException {
        DatagramChannel ch = (DatagramChannel) key.channel();
        while (true) {
            buf.clear();
            SocketAddress from = ch.receive(buf);
            if (from == null) {
                return;
            }
            String got = text(buf.flip());
            if (key.attachment() == Role.SERVER) {
                ch.send(bytes(got.toUpperCase(Locale.ROOT)), from);
            } else {
                replies.add(got);
            }
        }
    }

    @Test
    void loop_socketPipeAndDatagramChannels_allSelectableTogether() throws IOException {
        Pipe pipe = Pipe.open();
        try (PssstSelector selector = PssstSelector.open();
             ServerSocketChannel server = ServerSocketChannel.open();
             SocketChannel client = SocketChannel.open();
             Pipe.SourceChannel source = pipe.source();
             Pipe.SinkChannel sink = pipe.sink();
             ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback();
             ScrambledDatagramChannel sender = ScrambledDatagramChannel.openLoopback()) {
            server.bind(loopback()).configureBlocking(false);
            client.configureBlocking(false);
            source.configureBlocking(false);
            sink.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT, "accept");
            client.connect(server.getLocalAddress());
            client.register(selector, SelectionKey.OP_CONNECT, "client");
            sink.register(selector, SelectionKey.OP_WRITE, "sink");
            source.register(selector, SelectionKey.OP_READ, "source");
            wrapped.register(selector, SelectionKey.OP_READ, "wrapped");
            send(sender, "datagram", local(wrapped));

            Set<String> events = new TreeSet<>();
            ByteBuffer buf = ByteBuffer.allocate(256);
            List<String> wanted = List.of("accepted", "connected", "server got ping",
                    "client got pong", "source got pipe", "wrapped got datagram");
            SelectorTesting.serveUntil(selector, "selectedKeys",
                    key -> io(() -> events.add(serve(key, selector, buf))),
                    () -> events.containsAll(wanted));
            assertTrue(events.containsAll(wanted), events::toString);
            assertInstanceOf(PssstSelector.class, client.keyFor(selector).selector());
            for (SelectionKey key : selector.keys()) {
                if ("accepted".equals(key.attachment())) {
                    key.channel().close();
                }
            }
        }
    }

    private static String serve(SelectionKey key, PssstSelector selector, ByteBuffer buf)
            throws IOException {
        buf.clear();
        switch ((String) key.attachment()) {
            case "accept" -> {
                SocketChannel accepted = ((ServerSocketChannel) key.channel()).accept();
                if (accepted == null) {
                    return "";
                }
                accepted.configureBlocking(false);
                accepted.register(selector, SelectionKey.OP_READ, "accepted");
                return "accepted";
            }
            case "client" -> {
                SocketChannel ch = (SocketChannel) key.channel();
                if (key.isConnectable()) {
                    ch.finishConnect();
                    ch.write(bytes("ping"));
                    key.interestOps(SelectionKey.OP_READ);
                    return "connected";
                }
                return ch.read(buf) > 0 ? "client got " + text(buf.flip()) : "";
            }
            case "accepted" -> {
                SocketChannel ch = (SocketChannel) key.channel();
                if (ch.read(buf) <= 0) {
                    return "";
                }
                ch.write(bytes("pong"));
                return "server got " + text(buf.flip());
            }
            case "sink" -> {
                ((Pipe.SinkChannel) key.channel()).write(bytes("pipe"));
                key.interestOps(0);
                return "sink wrote";
            }
            case "source" -> {
                return ((Pipe.SourceChannel) key.channel()).read(buf) > 0
                        ? "source got " + text(buf.flip()) : "";
            }
            case "wrapped" -> {
                DatagramChannel ch = (DatagramChannel) key.channel();
                return ch.receive(buf) != null ? "wrapped got " + text(buf.flip()) : "";
            }
            default -> throw new AssertionError(key.attachment());
        }
    }
}
