package io.pssst.channel;

import static io.pssst.channel.SelectorTesting.bytes;
import static io.pssst.channel.SelectorTesting.io;
import static io.pssst.channel.SelectorTesting.loopback;
import static io.pssst.channel.SelectorTesting.openJdkDatagram;
import static io.pssst.channel.SelectorTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real {@link PssstDatagramChannel} in a {@link PssstSelector}: PSSST server and client
 * channels and a plain JDK channel served by one unchanged event loop, and bad datagrams to
 * the PSSST server that wake the loop but never reach it.
 */
@Timeout(60)
class PssstSelectorEndToEndTest {
    private static final int REQUESTS = 20;

    private enum Role { PSSST_SERVER, JDK_SERVER, PSSST_CLIENT, JDK_CLIENT }

    @ParameterizedTest
    @ValueSource(strings = {"selectedKeys", "consumer"})
    void loop_pssstServerAndClientBesideJdkChannels_everyReplyDecryptedAndVerified(String form)
            throws Exception {
        try (PssstSelector selector = PssstSelector.open();
             PssstServerChannel server = PssstDatagramChannel.openServer(Loopback.serverPrivate());
             PssstClientChannel client = PssstDatagramChannel.openClient(Loopback.serverPublic());
             DatagramChannel jdkServer = openJdkDatagram();
             DatagramChannel jdkClient = openJdkDatagram()) {
            server.bind(loopback()).configureBlocking(false);
            client.bind(loopback()).configureBlocking(false);
            SelectionKey serverKey = server.register(selector, SelectionKey.OP_READ, Role.PSSST_SERVER);
            SelectionKey clientKey = client.register(selector, SelectionKey.OP_READ, Role.PSSST_CLIENT);
            jdkServer.register(selector, SelectionKey.OP_READ, Role.JDK_SERVER);
            jdkClient.register(selector, SelectionKey.OP_READ, Role.JDK_CLIENT);
            assertSame(server, serverKey.channel());
            assertSame(client, clientKey.channel());

            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                assertTrue(client.send(bytes("pssst " + i), server.getLocalAddress()) > 0);
                assertTrue(jdkClient.send(bytes("jdk " + i), jdkServer.getLocalAddress()) > 0);
                expected.add("re:pssst " + i);
                expected.add("re:jdk " + i);
            }
            Set<String> replies = new TreeSet<>();
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            Consumer<SelectionKey> serve = key -> io(() -> handle(key, buf, replies));
            SelectorTesting.serveUntil(selector, form, serve, () -> replies.size() == expected.size());
            assertEquals(expected, replies);
            assertEquals(REQUESTS, server.stats().requestsAccepted(), server.stats().toString());
            assertEquals(REQUESTS, client.stats().repliesAccepted(), client.stats().toString());
            assertEquals(0, server.stats().droppedTotal() + client.stats().droppedTotal());
        }
    }

    /** The loop body a JDK DatagramChannel server and client would have, unchanged. */
    private static void handle(SelectionKey key, ByteBuffer buf, Set<String> replies)
            throws IOException {
        DatagramChannel ch = (DatagramChannel) key.channel();
        for (int i = 0; i < 64; i++) {
            buf.clear();
            SocketAddress from = ch.receive(buf);
            if (from == null) {
                return;
            }
            String got = text(buf.flip());
            switch ((Role) key.attachment()) {
                case PSSST_SERVER, JDK_SERVER -> ch.send(bytes("re:" + got), from);
                default -> replies.add(got);
            }
        }
    }

    @Test
    void loop_garbageToPssstServer_wakesLoopButReceiveReturnsNullAndCounts() throws Exception {
        try (PssstSelector selector = PssstSelector.open();
             PssstServerChannel server = PssstDatagramChannel.openServer(Loopback.serverPrivate());
             DatagramChannel attacker = openJdkDatagram()) {
            server.bind(loopback()).configureBlocking(false);
            SelectionKey key = server.register(selector, SelectionKey.OP_READ);
            attacker.send(bytes("not a PSSST request, just bytes"), server.getLocalAddress());
            SelectorTesting.selectUntil(selector, () -> selector.selectedKeys().contains(key));
            ByteBuffer dst = ByteBuffer.allocate(2048);
            assertNull(((DatagramChannel) key.channel()).receive(dst));
            assertEquals(0, dst.position());
            assertEquals(1, server.stats().droppedTotal(), server.stats().toString());
            selector.selectedKeys().clear();
            assertEquals(0, selector.selectNow());     // consumed: not ready any more
        }
    }
}
