package io.pssst.cli;

import io.pssst.PssstX25519;
import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.channel.PssstAmplificationException;
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
import java.util.LinkedHashMap;
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
     * @param previous previous keys still honoured (a key rotation), most recent first
     * @param bind where to listen
     * @param threads worker threads
     * @param reusePort SO_REUSEPORT, one channel per thread
     * @param policy which clients to answer
     * @param prefix bytes put in front of each echo reply
     * @param x25519 the X25519 implementation
     * @param defences the rate limit and amplification bound
     */
    record Config(XECPrivateKey key, List<XECPrivateKey> previous, InetSocketAddress bind, int threads,
            boolean reusePort, PssstClientPolicy policy, byte[] prefix, PssstX25519 x25519, ServerDefences defences) {
        /** A server with one key and the library's defences ({@link ServerDefences#DEFAULT}). */
        Config(XECPrivateKey key, InetSocketAddress bind, int threads, boolean reusePort, PssstClientPolicy policy,
                byte[] prefix, PssstX25519 x25519) {
            this(key, List.of(), bind, threads, reusePort, policy, prefix, x25519, ServerDefences.DEFAULT);
        }
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
                .x25519(config.x25519()).previousKeys(config.previous());
        config.defences().applyTo(builder);
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

    /**
     * Replaces the keys of every channel (a key rotation): requests received from now on are
     * opened with the new keys; those already received are answered with their own.
     *
     * @throws InvalidKeyMaterialException if a key is not an X25519 key (checked before any channel changes)
     */
    void setKeys(XECPrivateKey current, List<XECPrivateKey> previous) throws InvalidKeyMaterialException {
        for (PssstServerChannel ch : channels) {
            ch.setKeys(current, previous);
        }
    }

    /**
     * One line: requests opened per key, all channels together, by public key: {@code current
     * HEX n, previous HEX n, ..., dropped HEX n} (dropped: held earlier, no longer).
     */
    String keysReport() {
        List<String> held = channels.isEmpty() ? List.of() : channels.get(0).stats().serverKeys();
        Map<String, Long> opened = new LinkedHashMap<>();
        for (PssstServerChannel ch : channels) {
            ch.stats().requestsOpenedByKey().forEach((key, n) -> opened.merge(key, n, Long::sum));
        }
        StringBuilder b = new StringBuilder("pssst serve: requests opened per key: ");
        String sep = "";
        for (Map.Entry<String, Long> e : opened.entrySet()) {
            int at = held.indexOf(e.getKey());
            b.append(sep).append(at == 0 ? "current " : at > 0 ? "previous " : "dropped ").append(e.getKey())
                    .append(' ').append(e.getValue());
            sep = ", ";
        }
        return b.toString();
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
     * counted as reply-too-long; one over the amplification bound (with a large --id and
     * --max-amplification below 3) is not sent either, and counted by the channel.
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
                } catch (PssstAmplificationException e) {
                    // over --max-amplification: not sent, its context wiped; the channel counted it
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
     * ("reply-too-long"), replies the network refused for their destination
     * ("reply-send-failed"), and replies over the amplification bound
     * ("reply-amplification-refused").
     */
    Map<String, Long> refusedCounts() {
        Map<String, Long> m = new TreeMap<>();
        if (repliesTooLong.get() > 0) {
            m.put("reply-too-long", repliesTooLong.get());
        }
        long overBound = sum(PssstChannelStats::repliesRefusedAmplification);
        if (overBound > 0) {
            m.put("reply-amplification-refused", overBound);
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
