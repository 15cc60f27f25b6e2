package io.pssst.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * Part of {@code io.pssst.testing.JvmWideSelectorMain} (child JVM, PSSST's provider installed
 * JVM-wide, class path): an unchanged {@code Selector.open()} loop serving a plain JDK channel
 * and a PSSST-style channel, reading through {@code key.channel()}.
 */
public final class JvmWideMixedCheck {
    private JvmWideMixedCheck() {
    }

    public static void run() throws IOException {
        try (Selector selector = Selector.open();
             DatagramChannel plain = SelectorTesting.openJdkDatagram();
             ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback();
             ScrambledDatagramChannel peer = ScrambledDatagramChannel.openLoopback()) {
            plain.register(selector, SelectionKey.OP_READ);
            wrapped.register(selector, SelectionKey.OP_READ);
            plain.send(SelectorTesting.bytes("to plain"), wrapped.getLocalAddress());
            peer.send(SelectorTesting.bytes("to wrapped"), wrapped.getLocalAddress());
            peer.send(SelectorTesting.bytes("scrambled on the wire"), plain.getLocalAddress());
            Set<String> got = new TreeSet<>();
            long end = System.nanoTime() + SelectorTesting.BOUND_MS * 1_000_000L;
            while (got.size() < 3 && System.nanoTime() - end < 0) {
                selector.select(key -> SelectorTesting.io(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(256);
                    if (((DatagramChannel) key.channel()).receive(buf) != null) {
                        got.add((key.channel() == wrapped ? "wrapped: " : "plain: ")
                                + StandardCharsets.ISO_8859_1.decode(buf.flip()));
                    }
                }), 50);
            }
            // The wrapped channel decodes what a PSSST peer sent, and (harmlessly) scrambles
            // what a plain peer sent; the plain channel sees the peer's bytes as they travel.
            Set<String> expected = new TreeSet<>(Set.of(
                    "wrapped: to wrapped",
                    "wrapped: " + xor("to plain"),
                    "plain: " + xor("scrambled on the wire")));
            if (!got.equals(expected)) {
                throw new AssertionError(got + " != " + expected);
            }
        }
        System.out.println("mixed PSSST and JDK channels ok");
    }

    private static String xor(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            b[i] ^= ScrambledDatagramChannel.MASK;
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
