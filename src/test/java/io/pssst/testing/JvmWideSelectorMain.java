package io.pssst.testing;

import io.pssst.channel.PssstSelector;
import io.pssst.channel.PssstSelectorProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Run in a child JVM by {@code PssstSelectorJvmWideTest}, with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.pssst.channel.PssstSelectorProvider}.
 * Prints {@code PASS <mode>} and exits 0 when every check holds; any failure is an uncaught
 * exception (exit 1). Loopback only; every wait bounded. Modes:
 * <ul>
 *   <li>{@code jdk-only}: unchanged {@code Selector.open()} serves JDK channels opened the
 *       usual way ({@code DatagramChannel.open()}, {@code Pipe.open()}, sockets);</li>
 *   <li>{@code mixed}: the same plus a PSSST-style channel in an unchanged selector loop
 *       (class path only: the stand-in channel lives in the module's package);</li>
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
            case "jdk-only" -> {
                checkProviders();
                jdkChannels();
            }
            case "mixed" -> {
                checkProviders();
                jdkChannels();
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
            Set<String> seen = new TreeSet<>();
            long end = System.nanoTime() + BOUND_NANOS;
            while (seen.size() < 3 && System.nanoTime() - end < 0) {
                selector.select(50);
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    boolean done = switch ((String) key.attachment()) {
                        case "datagram" -> ((DatagramChannel) key.channel()).receive(buf) != null;
                        case "pipe" -> ((Pipe.SourceChannel) key.channel()).read(buf) > 0;
                        default -> closeAccepted(((ServerSocketChannel) key.channel()).accept());
                    };
                    if (done) {
                        seen.add((String) key.attachment());
                    }
                }
            }
            check(seen.size() == 3, "saw only " + seen);
        }
        System.out.println("datagram, socket and pipe channels ok");
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
