package io.pssst.internal.cli;

import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.PssstServer;
import io.pssst.ReplySealer;
import io.pssst.internal.Wire;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** The running server of {@code pssst serve} (and of the demo): worker threads, sockets, counters. */
final class ServerLoop {
    /**
     * @param key the server's private key
     * @param bind where to listen
     * @param threads worker threads
     * @param reusePort SO_REUSEPORT, one socket per thread
     * @param allowed allowed client keys, or null for any
     * @param requireAuth refuse anonymous requests
     * @param prefix bytes put in front of each echo reply
     */
    record Config(XECPrivateKey key, InetSocketAddress bind, int threads, boolean reusePort,
            List<XECPublicKey> allowed, boolean requireAuth, byte[] prefix) {
    }

    private final Config config;
    private final PssstServer server;
    private final Set<String> allowedHex;
    private final List<DatagramChannel> sockets = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private final CompletableFuture<Void> failure = new CompletableFuture<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder replies = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final long started = System.nanoTime();
    private volatile boolean stopping;

    private ServerLoop(Config config, PrintStream err) throws PssstException {
        this.config = config;
        this.server = PssstServer.create(config.key());
        this.allowedHex = config.allowed() == null ? null : new HashSet<>(ClientList.hex(config.allowed()));
        RefusalLog log = new RefusalLog(this::refusedCounts, err, "pssst serve: ");
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pssst-serve-log");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(log::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Binds the sockets and starts the workers. */
    static ServerLoop start(Config config, PrintStream err) throws PssstException, CommandFailedException {
        ServerLoop loop = new ServerLoop(config, err);
        try {
            int socketCount = config.reusePort() ? config.threads() : 1;
            InetSocketAddress bind = config.bind();
            for (int i = 0; i < socketCount; i++) {
                DatagramChannel ch = DatagramChannel.open();
                loop.sockets.add(ch);
                if (config.reusePort()) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                ch.bind(bind);
                bind = (InetSocketAddress) ch.getLocalAddress(); // port 0: the others share the one picked
            }
        } catch (IOException | UnsupportedOperationException e) {
            loop.stop();
            throw new CommandFailedException("cannot listen on " + HostPort.format(config.bind()) + ": " + Main.describe(e), e);
        }
        for (int i = 0; i < config.threads(); i++) {
            DatagramChannel ch = loop.sockets.get(i % loop.sockets.size());
            Thread t = new Thread(() -> loop.work(ch), "pssst-serve-" + i);
            t.setDaemon(true);
            loop.workers.add(t);
            t.start();
        }
        return loop;
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) sockets.get(0).getLocalAddress();
        } catch (IOException e) {
            return config.bind();
        }
    }

    /** Completes exceptionally if a worker dies of an I/O error; never completes normally. */
    CompletableFuture<Void> failure() {
        return failure;
    }

    /** Closes the sockets and waits (briefly) for the workers. Idempotent. */
    void stop() {
        stopping = true;
        ticker.shutdownNow();
        for (DatagramChannel ch : sockets) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Thread t : workers) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void work(DatagramChannel ch) {
        ByteBuffer in = ByteBuffer.allocateDirect(Wire.MAX_DATAGRAM);
        ByteBuffer out = ByteBuffer.allocateDirect(Wire.MAX_DATAGRAM);
        try {
            while (!stopping) {
                in.clear();
                SocketAddress from = ch.receive(in);
                in.flip();
                handle(ch, in, out, from);
            }
        } catch (ClosedChannelException e) {
            // stopped
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                failure.completeExceptionally(e);
            }
        }
    }

    private void handle(DatagramChannel ch, ByteBuffer in, ByteBuffer out, SocketAddress from) throws IOException {
        ReplySealer sealer;
        try {
            sealer = server.openInPlace(in);
        } catch (PssstException e) {
            count(e.reason().wireName());
            return;
        }
        if (!allowed(sealer)) {
            sealer.destroy();
            return;
        }
        requests.increment();
        out.clear();
        int room = Wire.MAX_DATAGRAM - Wire.OVERHEAD;
        if (config.prefix().length + in.remaining() > room) {
            in.limit(in.position() + Math.max(0, room - config.prefix().length));
        }
        out.position(Wire.PREFIX_LENGTH).put(config.prefix()).put(in).flip().position(Wire.PREFIX_LENGTH);
        ByteBuffer datagram = out.duplicate().clear();
        sealer.seal(out, datagram);
        datagram.flip();
        ch.send(datagram, from);
        replies.increment();
    }

    private boolean allowed(ReplySealer sealer) {
        var client = sealer.clientKey();
        if (client.isEmpty()) {
            if (config.requireAuth()) {
                count("anonymous");
                return false;
            }
            return true;
        }
        try {
            if (allowedHex != null && !allowedHex.contains(PssstKeys.toHex(client.get()))) {
                count("unknown-client");
                return false;
            }
        } catch (PssstException e) {
            count(e.reason().wireName());
            return false;
        }
        return true;
    }

    private void count(String reason) {
        refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    Map<String, Long> refusedCounts() {
        Map<String, Long> m = new TreeMap<>();
        refused.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    long requests() {
        return requests.sum();
    }

    long replies() {
        return replies.sum();
    }

    /** One line: uptime, requests, replies, refused by reason. */
    String statsReport() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                "pssst serve: stopped after %.1f s: %d requests, %d replies, refused: ",
                (System.nanoTime() - started) / 1e9, requests(), replies()));
        Map<String, Long> r = refusedCounts();
        if (r.isEmpty()) {
            b.append("none");
        }
        r.forEach((k, v) -> b.append(b.charAt(b.length() - 2) == ':' ? "" : ", ").append(k).append(' ').append(v));
        return b.toString();
    }
}
