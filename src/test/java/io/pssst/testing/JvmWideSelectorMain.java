package io.pssst.testing;

import io.pssst.PssstKeys;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstDatagramChannel;
import io.pssst.channel.PssstSelector;
import io.pssst.channel.PssstSelectorProvider;
import io.pssst.channel.PssstServerChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Run in a child JVM by {@code PssstSelectorJvmWideTest}, with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.pssst.channel.PssstSelectorProvider}.
 * Prints {@code PASS <mode>} and exits 0 when every check holds; any failure is an uncaught
 * exception (exit 1). Loopback only; every wait bounded. Modes:
 * <ul>
 *   <li>{@code modular}: unchanged {@code Selector.open()} serves JDK channels opened the
 *       usual way ({@code DatagramChannel.open()}, {@code Pipe.open()}, sockets), and a PSSST
 *       server and client channel beside a JDK channel;</li>
 *   <li>{@code mixed}: the same plus the test stand-in channel (class path only: it lives in
 *       the module's package);</li>
 *   <li>{@code expect-failure}: launched without {@code --add-exports}; opening fails with a
 *       clear {@link IOException}.</li>
 * </ul>
 */
public final class JvmWideSelectorMain {
    private static final long BOUND_NANOS = Duration.ofSeconds(10).toNanos();

    private JvmWideSelectorMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        switch (mode) {
            case "expect-failure" -> expectFailure();
            case "modular" -> {
                checkProviders();
                jdkChannels();
                pssstChannels();
            }
            case "mixed" -> {
                checkProviders();
                jdkChannels();
                pssstChannels();
                Class.forName("io.pssst.channel.JvmWideMixedCheck").getMethod("run").invoke(null);
            }
            default -> throw new IllegalArgumentException(mode);
        }
        System.out.println("PASS " + mode);
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void checkProviders() throws IOException {
        SelectorProvider jvmWide = SelectorProvider.provider();
        check(jvmWide instanceof PssstSelectorProvider, "JVM-wide provider is " + jvmWide);
        check(PssstSelectorProvider.provider() == jvmWide, "PssstSelectorProvider.provider() differs");
        try (Selector selector = Selector.open(); DatagramChannel ch = DatagramChannel.open()) {
            check(selector instanceof PssstSelector, "Selector.open() gave " + selector.getClass());
            check(selector.provider() == jvmWide, "selector provider");
            check(!(ch.provider() instanceof PssstSelectorProvider), "a JDK channel has PSSST's provider");
            check(ch.getClass().getName().startsWith("sun.nio.ch."), "not a JDK channel: " + ch.getClass());
        }
        System.out.println("providers ok: " + jvmWide.getClass().getName() + " wraps "
                + DatagramChannel.open().provider().getClass().getName());
    }

    private static void jdkChannels() throws IOException {
        Pipe pipe = Pipe.open();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Selector selector = Selector.open();
             DatagramChannel a = DatagramChannel.open();
             DatagramChannel b = DatagramChannel.open();
             ServerSocketChannel server = ServerSocketChannel.open();
             SocketChannel client = SocketChannel.open();
             Pipe.SourceChannel source = pipe.source();
             Pipe.SinkChannel sink = pipe.sink()) {
            a.bind(any).configureBlocking(false);
            b.bind(any).configureBlocking(false);
            server.bind(any).configureBlocking(false);
            source.configureBlocking(false);
            b.register(selector, SelectionKey.OP_READ, "datagram");
            source.register(selector, SelectionKey.OP_READ, "pipe");
            server.register(selector, SelectionKey.OP_ACCEPT, "accept");
            a.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)), b.getLocalAddress());
            sink.write(ByteBuffer.wrap("pipe".getBytes(StandardCharsets.UTF_8)));
            client.connect(server.getLocalAddress());              // blocking, loopback
            Set<String> seen = serve(selector, 3, key -> {
                ByteBuffer buf = ByteBuffer.allocate(64);
                boolean done = switch ((String) key.attachment()) {
                    case "datagram" -> ((DatagramChannel) key.channel()).receive(buf) != null;
                    case "pipe" -> ((Pipe.SourceChannel) key.channel()).read(buf) > 0;
                    default -> closeAccepted(((ServerSocketChannel) key.channel()).accept());
                };
                return done ? (String) key.attachment() : null;
            });
            check(seen.size() == 3, "saw only " + seen);
        }
        System.out.println("datagram, socket and pipe channels ok");
    }

    /** A PSSST server and client channel and a JDK channel in one unchanged selector loop. */
    private static void pssstChannels() throws Exception {
        KeyPair serverKeys = PssstKeys.generateKeyPair();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Selector selector = Selector.open();
             PssstServerChannel server = PssstDatagramChannel.openServer((XECPrivateKey) serverKeys.getPrivate());
             PssstClientChannel client = PssstDatagramChannel.openClient((XECPublicKey) serverKeys.getPublic());
             DatagramChannel plain = DatagramChannel.open()) {
            server.bind(any).configureBlocking(false);
            client.bind(any).configureBlocking(false);
            plain.bind(any).configureBlocking(false);
            server.register(selector, SelectionKey.OP_READ);
            client.register(selector, SelectionKey.OP_READ);
            plain.register(selector, SelectionKey.OP_READ);
            client.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)), server.getLocalAddress());
            plain.send(ByteBuffer.wrap("self".getBytes(StandardCharsets.UTF_8)), plain.getLocalAddress());
            Set<String> seen = serve(selector, 3, key -> {
                DatagramChannel ch = (DatagramChannel) key.channel();      // unchanged loop body
                ByteBuffer buf = ByteBuffer.allocate(256);
                SocketAddress from = ch.receive(buf);
                if (from == null) {
                    return null;
                }
                String got = StandardCharsets.UTF_8.decode(buf.flip()).toString();
                if (ch == server) {
                    ch.send(ByteBuffer.wrap(("re:" + got).getBytes(StandardCharsets.UTF_8)), from);
                }
                return (ch == server ? "server: " : ch == client ? "client: " : "plain: ") + got;
            });
            check(seen.equals(Set.of("server: ping", "client: re:ping", "plain: self")), "saw " + seen);
        }
        System.out.println("PSSST server and client channels ok");
    }

    /** What a loop body made of a ready key: a description, or null for nothing. */
    private interface KeyHandler {
        String handle(SelectionKey key) throws IOException;
    }

    /** A classic selection loop until {@code count} distinct events; bounded. */
    private static Set<String> serve(Selector selector, int count, KeyHandler handler)
            throws IOException {
        Set<String> seen = new TreeSet<>();
        long end = System.nanoTime() + BOUND_NANOS;
        while (seen.size() < count && System.nanoTime() - end < 0) {
            selector.select(50);
            for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                String event = handler.handle(key);
                if (event != null) {
                    seen.add(event);
                }
            }
        }
        return seen;
    }

    private static boolean closeAccepted(SocketChannel accepted) throws IOException {
        if (accepted == null) {
            return false;
        }
        accepted.close();
        return true;
    }

    private static void expectFailure() {
        for (String what : new String[] {"Selector.open", "DatagramChannel.open"}) {
            try {
                if (what.equals("Selector.open")) {
                    Selector.open().close();
                } else {
                    DatagramChannel.open().close();
                }
                throw new AssertionError(what + " worked without --add-exports");
            } catch (IOException e) {
                check(e.getMessage().contains("--add-exports java.base/sun.nio.ch="), e.getMessage());
                System.out.println(what + " refused: " + e.getMessage());
            }
        }
        check(SelectorProvider.provider() instanceof PssstSelectorProvider, "provider still installed");
    }
}
