package io.pssst.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Not a test: measures what a {@link PssstSelector} costs over the JDK's selector, per
 * selection of one ready datagram channel (send 16 bytes on loopback, select, receive), in
 * time and in bytes allocated by the selecting thread, in both selection forms, with
 * {@code idle} more channels registered. Figures in docs/selector.md. Run after
 * {@code mvn test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes io.pssst.channel.SelectorOverheadMain 0
 * java -cp target/classes:target/test-classes io.pssst.channel.SelectorOverheadMain 1000
 * </pre>
 */
public final class SelectorOverheadMain {
    private static final int WARMUP = 50_000;
    private static final int CYCLES = 200_000;
    private static final int ROUNDS = 3;

    private SelectorOverheadMain() {
    }

    public static void main(String[] args) throws Exception {
        int idle = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        for (int round = 1; round <= ROUNDS; round++) {
            for (String kind : List.of("jdk", "pssst")) {
                for (String form : List.of("selectedKeys", "consumer")) {
                    String line = run(kind, form, idle);
                    if (round == ROUNDS) {
                        System.out.println(line);
                    }
                }
            }
        }
    }

    private static String run(String kind, String form, int idle) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        List<DatagramChannel> channels = new ArrayList<>();
        try (Selector selector = kind.equals("jdk") ? Selector.open() : PssstSelector.open();
             DatagramChannel sender = DatagramChannel.open().bind(loopback);
             DatagramChannel receiver = DatagramChannel.open().bind(loopback)) {
            receiver.configureBlocking(false);
            receiver.register(selector, SelectionKey.OP_READ);
            for (int i = 0; i < idle; i++) {
                DatagramChannel ch = DatagramChannel.open().bind(loopback);
                channels.add(ch);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
            }
            SocketAddress to = receiver.getLocalAddress();
            ByteBuffer out = ByteBuffer.allocateDirect(16);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            Consumer<SelectionKey> receive = key -> {
                in.clear();
                try {
                    ((DatagramChannel) key.channel()).receive(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            long t0 = 0;
            long a0 = 0;
            for (int i = 0; i < WARMUP + CYCLES; i++) {
                if (i == WARMUP) {
                    t0 = System.nanoTime();
                    a0 = allocatedBytes();
                }
                out.clear();
                sender.send(out, to);
                if (form.equals("consumer")) {
                    while (selector.select(receive) == 0) {
                        Thread.onSpinWait();
                    }
                } else {
                    while (selector.select() == 0) {
                        Thread.onSpinWait();
                    }
                    Set<SelectionKey> selected = selector.selectedKeys();
                    for (SelectionKey key : selected) {
                        receive.accept(key);
                    }
                    selected.clear();
                }
            }
            long nanos = System.nanoTime() - t0;
            long bytes = allocatedBytes() - a0;
            return String.format("%-5s %-12s idle=%-5d %6.2f us/cycle %7.1f B/cycle",
                    kind, form, idle, nanos / 1e3 / CYCLES, (double) bytes / CYCLES);
        } finally {
            for (DatagramChannel ch : channels) {
                ch.close();
            }
        }
    }

    /**
     * Bytes allocated so far by this thread. Reflective: the tests are compiled into module
     * io.pssst, which does not read java.management (and need not).
     */
    private static long allocatedBytes() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
        Method m = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
        @SuppressWarnings("deprecation")
        long id = Thread.currentThread().getId();
        return (long) m.invoke(bean, id);
    }
}
