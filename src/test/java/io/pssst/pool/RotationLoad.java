package io.pssst.pool;

import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.channel.PssstTimeoutException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Continuous load on a pool during a key rotation: groups of client threads, one group per
 * server key ("old", "new"), each thread with its own {@link PssstClientChannel} (anonymous
 * or authenticated, alternately) and the default retry policy, calling one request after
 * another until its group is stopped. Every reply must be {@code "ID: "} + the request. Each
 * call is counted in the phase it started in: answered (by key and server), failed (no reply
 * within the retry policy, or a wrong one), and the retransmissions it took.
 */
final class RotationLoad {
    private final InetSocketAddress target;
    private final List<String> ids;
    private final XECPrivateKey clientKey;
    private final PssstRetryPolicy retry = PssstRetryPolicy.defaults();
    private final Map<String, Group> groups = new TreeMap<>();
    private volatile String phase = "-";
    /** phase -> key -> server id (or "failed", "retransmissions") -> count. */
    private final Map<String, Map<String, Map<String, Long>>> counts = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    private static final class Group {
        volatile boolean running = true;
        final List<Thread> threads = new ArrayList<>();
    }

    RotationLoad(InetSocketAddress target, List<String> ids, XECPrivateKey clientKey) {
        this.target = target;
        this.ids = List.copyOf(ids);
        this.clientKey = clientKey;
    }

    /** Calls made from now on count in {@code name}. */
    void phase(String name) {
        phase = name;
    }

    /** Starts {@code threads} clients of {@code serverKey}, counted under {@code key}. */
    void start(String key, XECPublicKey serverKey, int threads) {
        Group g = new Group();
        groups.put(key, g);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> run(key, serverKey, thread % 2 == 1, g), "rotation-" + key + "-" + t);
            w.setDaemon(true);
            g.threads.add(w);
            w.start();
        }
    }

    /** Stops the clients of {@code key} after their current call (bounded by the retry policy). */
    void stop(String key) throws InterruptedException {
        Group g = groups.get(key);
        g.running = false;
        for (Thread t : g.threads) {
            t.join(retry.totalTimeout().toMillis() + 30_000);
            if (t.isAlive()) {
                t.interrupt();
                fail(key, t.getName() + " did not stop");
            }
        }
    }

    private void run(String key, XECPublicKey serverKey, boolean authenticated, Group g) {
        PssstClientChannel.Builder builder;
        try {
            builder = PssstClientChannel.builder(serverKey).retryPolicy(retry);
            if (authenticated) {
                builder.clientKey(clientKey);
            }
        } catch (GeneralSecurityException e) {
            fail(key, "client keys: " + e);
            return;
        }
        try (PssstClientChannel c = builder.open()) {
            for (long i = 0; g.running; i++) {
                String at = phase;
                String message = key + (authenticated ? "-auth-" : "-anon-") + Thread.currentThread().getName() + "-" + i;
                long retransmitted = c.stats().retransmissions();
                String answered = call(c, message, key);
                add(at, key, "retransmissions", c.stats().retransmissions() - retransmitted);
                add(at, key, answered != null ? answered : "failed", 1);
            }
        } catch (IOException e) {
            fail(key, e.toString());
        }
    }

    /** The id of the server that answered, or null (a failure, recorded). */
    private String call(PssstClientChannel c, String message, String key) {
        try {
            ByteBuffer reply = c.call(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), target,
                    retry.totalTimeout());
            String text = StandardCharsets.UTF_8.decode(reply).toString();
            for (String id : ids) {
                if (text.equals(id + ": " + message)) {
                    return id;
                }
            }
            fail(key, "'" + message + "' got '" + text + "'");
        } catch (PssstTimeoutException e) {
            fail(key, "'" + message + "' (" + phase + "): no reply within " + retry.totalTimeout());
        } catch (IOException e) {
            fail(key, "'" + message + "': " + e);
        }
        return null;
    }

    private synchronized void add(String at, String key, String what, long n) {
        counts.computeIfAbsent(at, k -> new TreeMap<>()).computeIfAbsent(key, k -> new TreeMap<>())
                .merge(what, n, Long::sum);
    }

    private synchronized void fail(String key, String what) {
        if (failures.size() < 20) {
            failures.add(key + ": " + what);
        }
    }

    /** Calls of {@code key} answered by {@code id} that started in {@code phase}. */
    synchronized long count(String phase, String key, String id) {
        return counts.getOrDefault(phase, Map.of()).getOrDefault(key, Map.of()).getOrDefault(id, 0L);
    }

    /** Calls of {@code key} answered by {@code id}, in every phase. */
    synchronized long answeredBy(String key, String id) {
        return counts.values().stream().mapToLong(m -> m.getOrDefault(key, Map.of()).getOrDefault(id, 0L)).sum();
    }

    /** Calls that failed, in every phase and of every key. */
    synchronized long failed() {
        return counts.values().stream().flatMap(m -> m.values().stream())
                .mapToLong(m -> m.getOrDefault("failed", 0L)).sum();
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * Waits until {@code enough} holds, for at least {@code atLeast} (so the load runs across
     * the step) and at most {@code within}.
     *
     * @throws AssertionError if it did not hold in time
     */
    void await(String what, BooleanSupplier enough, Duration atLeast, Duration within) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < atLeast.toNanos() || !enough.getAsBoolean()) {
            if (System.nanoTime() - start > within.toNanos()) {
                throw new AssertionError("not within " + within + ": " + what + "\n" + summary());
            }
            Thread.sleep(50);
        }
    }

    /** Whether every server answered at least {@code n} calls of {@code key} started in {@code phase}. */
    boolean everyServerAnswered(String phase, String key, long n) {
        return ids.stream().allMatch(id -> count(phase, key, id) >= n);
    }

    /** One line per phase: per key, answers by server, failures, retransmissions. */
    synchronized String summary() {
        StringBuilder b = new StringBuilder();
        counts.forEach((p, byKey) -> {
            b.append("  ").append(p).append(':');
            byKey.forEach((key, m) -> {
                long answered = ids.stream().mapToLong(id -> m.getOrDefault(id, 0L)).sum();
                b.append(' ').append(key).append(" key ").append(answered).append(" answered ");
                Map<String, Long> byServer = new TreeMap<>(m);
                byServer.keySet().retainAll(ids);
                b.append(byServer).append(", ").append(m.getOrDefault("failed", 0L)).append(" failed, ")
                        .append(m.getOrDefault("retransmissions", 0L)).append(" retransmissions;");
            });
            b.append('\n');
        });
        return b.toString();
    }
}
