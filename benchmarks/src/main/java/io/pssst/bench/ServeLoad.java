package io.pssst.bench;

import io.pssst.PssstClient;
import io.pssst.PssstKeys;
import io.pssst.PssstX25519;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A load generator that costs the client almost nothing, to measure a server's capacity on
 * the machine it shares: it packs {@code distinct} valid anonymous requests once (64-byte
 * messages, built-in X25519), then sends them round-robin from {@code sockets} UDP sockets
 * (so that SO_REUSEPORT spreads them over the server's sockets), keeping {@code window}
 * requests in flight per socket, and counts the replies without opening them (a PSSST
 * server answers a repeated request again: replay is allowed, and costs it exactly what a
 * fresh request does). It prints one line: replies per second and the loss.
 *
 * <pre>
 * java -cp benchmarks.jar:pssst.jar io.pssst.bench.ServeLoad HOST:PORT SERVER_PUBLIC_HEX SECONDS [SERVER_PID] [SOCKETS] [WINDOW] [DISTINCT]
 * </pre>
 *
 * With the server's process id (Linux), it also reports the CPU time the server used per
 * reply over the measured window (after the warm-up), from {@code /proc/PID/stat}.
 */
public final class ServeLoad {
    private static final long WARM_UP_NANOS = 5_000_000_000L;

    private ServeLoad() {
    }

    /** utime + stime of a process, in seconds (Linux: fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) throws java.io.IOException {
        if (pid == 0) {
            return 0;
        }
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ServeLoad HOST:PORT SERVER_PUBLIC_HEX SECONDS [SOCKETS] [WINDOW] [DISTINCT]");
            System.exit(2);
        }
        int colon = args[0].lastIndexOf(':');
        InetSocketAddress server = new InetSocketAddress(args[0].substring(0, colon),
                Integer.parseInt(args[0].substring(colon + 1)));
        XECPublicKey key = PssstKeys.parsePublicKey(args[1]);
        long seconds = Long.parseLong(args[2]);
        long pid = args.length > 3 ? Long.parseLong(args[3]) : 0;
        int sockets = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        int window = args.length > 5 ? Integer.parseInt(args[5]) : 4;
        int distinct = args.length > 6 ? Integer.parseInt(args[6]) : 4096;

        PssstClient client = PssstClient.anonymous(key, PssstX25519.BUILTIN);
        List<ByteBuffer> requests = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            requests.add(ByteBuffer.wrap(client.pack(new byte[64]).datagram()));
        }
        try (Selector selector = Selector.open()) {
            List<DatagramChannel> channels = new ArrayList<>();
            for (int i = 0; i < sockets; i++) {
                DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, new int[] {0});
                channels.add(ch);
            }
            ByteBuffer rx = ByteBuffer.allocate(2048);
            long sent = 0;
            long received = 0;
            int next = 0;
            long warmUntil = System.nanoTime() + WARM_UP_NANOS;
            long start = 0;
            long receivedAtStart = 0;
            double cpuAtStart = 0;
            long end = warmUntil + seconds * 1_000_000_000L;
            for (DatagramChannel ch : channels) { // fill the windows
                for (int w = 0; w < window; w++) {
                    ch.send(requests.get(next++ % distinct).duplicate(), server);
                    sent++;
                }
            }
            while (true) {
                long now = System.nanoTime();
                if (start == 0 && now >= warmUntil) {
                    start = now;
                    receivedAtStart = received;
                    cpuAtStart = cpuSeconds(pid);
                }
                if (now >= end) {
                    break;
                }
                if (selector.select(50) == 0) {
                    for (DatagramChannel ch : channels) { // a lost datagram: top the window up again
                        ch.send(requests.get(next++ % distinct).duplicate(), server);
                        sent++;
                    }
                    continue;
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) k.channel();
                    while (ch.receive(rx.clear()) != null) {
                        received++;
                        ch.send(requests.get(next++ % distinct).duplicate(), server);
                        sent++;
                    }
                }
                selector.selectedKeys().clear();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long replies = received - receivedAtStart;
            String cpu = pid == 0 ? "" : String.format(Locale.ROOT, "; server cpu %.1f µs per reply (%.0f%% of one core)",
                    1e6 * (cpuSeconds(pid) - cpuAtStart) / replies, 100 * (cpuSeconds(pid) - cpuAtStart) / elapsed);
            System.out.printf(Locale.ROOT, "replies/s %.0f  (%d replies in %.1f s after %d s of warm-up; %d sent, %d sockets x %d in flight%s)%n",
                    replies / elapsed, replies, elapsed, WARM_UP_NANOS / 1_000_000_000L, sent, sockets, window, cpu);
            for (DatagramChannel ch : channels) {
                ch.close();
            }
        }
    }
}
