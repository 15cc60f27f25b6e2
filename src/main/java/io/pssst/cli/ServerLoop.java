package io.pssst.cli;

import io.pssst.PssstX25519;
import io.pssst.PssstException;
import io.pssst.channel.PssstChannelStats;
import io.pssst.channel.PssstClientPolicy;
import io.pssst.channel.PssstMessageTooLongException;
import io.pssst.channel.PssstNoPendingRequestException;
import io.pssst.channel.PssstPendingRequest;
import io.pssst.channel.PssstServerChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.interfaces.XECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running echo server of {@code pssst serve} and of the demo: {@link PssstServerChannel}s
 * (one, or one per thread with SO_REUSEPORT), worker threads that answer each request through
 * its own {@link PssstPendingRequest}, and the once-a-second refusal log fed by the channels'
 * {@link PssstChannelStats}. Each channel's statistics are an MXBean while the loop runs.
 */
final class ServerLoop {
    /**
     * @param key the server's private key
     * @param bind where to listen
     * @param threads worker threads
     * @param reusePort SO_REUSEPORT, one channel per thread
     * @param policy which clients to answer
     * @param prefix bytes put in front of each echo reply
     * @param x25519 the X25519 implementation
     */
    record Config(XECPrivateKey key, InetSocketAddress bind, int threads, boolean reusePort,
            PssstClientPolicy policy, byte[] prefix, PssstX25519 x25519) {
    }

    private final Config config;
    private final List<PssstServerChannel> channels = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private final CompletableFuture<Void> failure = new CompletableFuture<>();
    private final ScheduledExecutorService ticker;
    private final long started = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicLong repliesTooLong = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stopping;

    private ServerLoop(Config config, PrintStream err) {
        this.config = config;
        RefusalLog log = new RefusalLog(this::refusedCounts, err, "pssst serve: ");
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pssst-serve-log");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(log::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Opens and binds the channels and starts the workers. */
    static ServerLoop start(Config config, PrintStream err) throws PssstException, CommandFailedException {
        ServerLoop loop = new ServerLoop(config, err);
        PssstServerChannel.Builder builder = PssstServerChannel.builder(config.key()).clientPolicy(config.policy())
                .x25519(config.x25519());
        try {
            InetSocketAddress bind = config.bind();
            for (int i = 0; i < (config.reusePort() ? config.threads() : 1); i++) {
                PssstServerChannel ch = builder.open();
                loop.channels.add(ch);
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
        try {
            for (PssstServerChannel ch : loop.channels) {
                ch.registerMXBean(); // by its address; with --reuse-port, instance=2, 3... (unregistered by stop)
            }
        } catch (IOException | RuntimeException e) {
            loop.stop();
            throw new CommandFailedException("cannot register the server's MXBean: " + Main.describe(e), e);
        }
        for (int i = 0; i < config.threads(); i++) {
            PssstServerChannel ch = loop.channels.get(i % loop.channels.size());
            Thread t = new Thread(() -> loop.runWorker(ch), "pssst-serve-" + i);
            t.setDaemon(true);
            loop.workers.add(t);
            t.start();
        }
        return loop;
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channels.get(0).getLocalAddress();
        } catch (IOException e) {
            return config.bind();
        }
    }

    /**
     * Completes exceptionally when a worker stops while the loop is not stopping: an I/O
     * error, its channel closed under it (a close from elsewhere, or an interrupt of the
     * worker), or any exception or error. Never completes normally.
     */
    CompletableFuture<Void> failure() {
        return failure;
    }

    /** Closes the channels and waits (briefly) for the workers. Idempotent. */
    void stop() {
        stopping = true;
        ticker.shutdownNow();
        for (PssstServerChannel ch : channels) {
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

    /**
     * One worker: {@link #work} until the loop stops. A worker that ends any other way ends
     * the server through {@link #failure}, rather than leaving it running with fewer workers
     * (or none) and answering nothing.
     */
    private void runWorker(PssstServerChannel ch) {
        try {
            work(ch);
        } catch (Throwable e) { // an Error too (out of memory, a bug): reported once, by the command, not here
            if (!stopping) {
                failure.completeExceptionally(e);
            }
            return;
        }
        if (!stopping) { // work returns only once stopping, or when its channel was closed
            failure.completeExceptionally(new CommandFailedException("its socket was closed while it was serving"
                    + " (closed from elsewhere, or a worker thread was interrupted)"));
        }
    }

    /**
     * Echo: the prefix goes first, the request is decrypted right after it, and the buffer is
     * the reply. The buffer holds the largest request after the prefix, so no request is
     * truncated; an echo that the prefix makes too long for one datagram is not sent, and
     * counted as reply-too-long.
     */
    private void work(PssstServerChannel ch) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(config.prefix().length + ch.maxMessageLength());
        try {
            while (!stopping) {
                buffer.clear().put(config.prefix());
                PssstPendingRequest request = ch.receiveRequest(buffer);
                try {
                    request.reply(buffer.flip());
                } catch (PssstMessageTooLongException e) {
                    request.abandon();
                    repliesTooLong.incrementAndGet();
                } catch (PssstNoPendingRequestException e) {
                    // its context expired or was evicted: the channel counted it
                }
            }
        } catch (ClosedChannelException e) {
            // stopped
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                failure.completeExceptionally(e);
            }
        }
    }

    /** The channels' statistics, summed. */
    private long sum(java.util.function.ToLongFunction<PssstChannelStats> counter) {
        long n = 0;
        for (PssstServerChannel ch : channels) {
            n += counter.applyAsLong(ch.stats());
        }
        return n;
    }

    /**
     * Refused datagrams by reason ("decrypt-failed", "policy-refused", "unanswerable-source"...),
     * all channels together, the echoes not sent because they were too long
     * ("reply-too-long"), and replies the network refused for their destination
     * ("reply-send-failed").
     */
    Map<String, Long> refusedCounts() {
        Map<String, Long> m = new TreeMap<>();
        if (repliesTooLong.get() > 0) {
            m.put("reply-too-long", repliesTooLong.get());
        }
        long sendFailed = sum(PssstChannelStats::replySendFailures);
        if (sendFailed > 0) {
            m.put("reply-send-failed", sendFailed);
        }
        for (PssstServerChannel ch : channels) {
            ch.stats().drops().forEach((reason, n) -> {
                if (n > 0) {
                    m.merge(reason.name().toLowerCase(Locale.ROOT).replace('_', '-'), n, Long::sum);
                }
            });
        }
        return m;
    }

    long requests() {
        return sum(PssstChannelStats::requestsAccepted);
    }

    long replies() {
        return sum(PssstChannelStats::repliesSent);
    }

    /** One line: uptime, requests, replies, refused by reason. */
    String statsReport() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "pssst serve: stopped after %.1f s: %d requests, %d replies, refused: ",
                (System.nanoTime() - started) / 1e9, requests(), replies()));
        Map<String, Long> r = refusedCounts();
        if (r.isEmpty()) {
            b.append("none");
        }
        String sep = "";
        for (Map.Entry<String, Long> e : r.entrySet()) {
            b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        return b.toString();
    }
}
