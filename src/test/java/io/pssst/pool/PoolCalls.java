package io.pssst.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.channel.PssstChannelStats;
import io.pssst.channel.PssstChannelStats.DropReason;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Requests to a pool through one address (a balancer, or a shared port), in-process with
 * {@link PssstClientChannel}, each checked against its reply: the reply must be
 * {@code "ID: "} + the request's message, where ID is one of the pool's {@code serve --id}s.
 * Each thread opens {@code sockets} pairs of client channels in turn (an anonymous one and
 * an authenticated one, each its own UDP socket) and sends {@code requestsPerSocket}
 * requests on each pair, picking anonymous or authenticated at random per request, so the
 * balancer's order cannot line up with the kind of request.
 *
 * @param target where the requests go
 * @param serverKey the pool's public key
 * @param clientKey the authenticated channels' key
 * @param ids the servers' ids
 * @param retry each channel's retry policy (a request fails after its total timeout)
 */
record PoolCalls(InetSocketAddress target, XECPublicKey serverKey, XECPrivateKey clientKey, List<String> ids,
        PssstRetryPolicy retry) {

    /** Which server answered how many requests of each kind, and what went wrong. */
    static final class Tally {
        private final Map<String, Map<String, Long>> answered = new TreeMap<>();
        private final List<String> failures = new ArrayList<>();
        private long failed;
        private long retransmissions;
        private long refused;
        private final Map<String, Long> drops = new TreeMap<>();
        private long sockets;
        private long socketsOnOneServer;

        /** Requests answered by {@code id}, of {@code kind} ("anonymous" or "authenticated"). */
        synchronized long answered(String id, String kind) {
            return answered.getOrDefault(kind, Map.of()).getOrDefault(id, 0L);
        }

        /** Requests answered by {@code id}, of both kinds. */
        synchronized long answered(String id) {
            return answered(id, "anonymous") + answered(id, "authenticated");
        }

        synchronized long answeredTotal() {
            return answered.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        }

        /** Requests without their reply (timeout, error) or with a wrong one. */
        synchronized long failed() {
            return failed;
        }

        /** Datagrams sent again because no reply came in time (the channels' own count). */
        synchronized long retransmissions() {
            return retransmissions;
        }

        /** Datagrams the clients refused: not a valid reply to one of their requests (late or duplicate replies aside). */
        synchronized long refused() {
            return refused;
        }

        /** Datagrams the clients dropped for {@code reason} (a {@code DropReason} name in lower case). */
        synchronized long dropped(String reason) {
            return drops.getOrDefault(reason, 0L);
        }

        /** Client sockets that got replies, and how many of them got all their replies from one server. */
        synchronized String stickiness() {
            return socketsOnOneServer + " of " + sockets + " client sockets got every reply from one server";
        }

        synchronized String summary() {
            return answeredTotal() + " answered " + answered + ", " + failed + " failed, " + retransmissions
                    + " retransmissions, " + refused + " refused" + (drops.isEmpty() ? "" : " (dropped: " + drops + ")")
                    + (failures.isEmpty() ? "" : ": " + failures);
        }

        /**
         * Asserts that all {@code expected} requests got their replies, none was refused, and
         * every server of {@code ids} answered both anonymous and authenticated requests.
         */
        void assertSpreadOver(List<String> ids, long expected, Supplier<String> context) {
            Supplier<String> detail = () -> summary() + "\n" + context.get();
            assertEquals(0, failed(), detail);
            assertEquals(expected, answeredTotal(), detail);
            assertEquals(0, refused(), detail);
            for (String id : ids) {
                for (String kind : List.of("anonymous", "authenticated")) {
                    assertTrue(answered(id, kind) > 0, () -> id + " answered no " + kind + " request: " + detail.get());
                }
            }
        }

        /** Asserts that all {@code expected} requests got their replies, every one from {@code id}. */
        void assertAllFrom(String id, long expected, Supplier<String> context) {
            Supplier<String> detail = () -> summary() + "\n" + context.get();
            assertEquals(0, failed(), detail);
            assertEquals(expected, answered(id), detail);
            assertEquals(expected, answeredTotal(), detail);
        }

        private synchronized void add(String kind, String id) {
            answered.computeIfAbsent(kind, k -> new TreeMap<>()).merge(id, 1L, Long::sum);
        }

        private synchronized void fail(String what) {
            failed++;
            if (failures.size() < 10) {
                failures.add(what);
            }
        }

        private synchronized void socketDone(PssstChannelStats stats, Set<String> servers) {
            retransmissions += stats.retransmissions();
            refused += stats.droppedTotal() - stats.dropped(DropReason.LATE_REPLY)
                    - stats.dropped(DropReason.DUPLICATE_REPLY);
            stats.drops().forEach((reason, n) -> {
                if (n > 0) {
                    drops.merge(reason.name().toLowerCase(Locale.ROOT), n, Long::sum);
                }
            });
            if (!servers.isEmpty()) {
                sockets++;
                socketsOnOneServer += servers.size() == 1 ? 1 : 0;
            }
        }
    }

    /**
     * Runs {@code threads} threads as described above and waits for them (bounded by the
     * retry policy's total timeout per request).
     */
    Tally run(int threads, int sockets, int requestsPerSocket, long seed) throws InterruptedException {
        Tally tally = new Tally();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> client(thread, sockets, requestsPerSocket, new SplittableRandom(seed + thread),
                    tally), "pool-client-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        long bound = Math.min(180_000, (long) sockets * requestsPerSocket * retry.totalTimeout().toMillis() + 30_000);
        long deadline = System.currentTimeMillis() + bound;
        for (Thread w : workers) {
            w.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (w.isAlive()) {
                w.interrupt();
                tally.fail(w.getName() + " still running after " + bound + " ms");
            }
        }
        return tally;
    }

    private void client(int thread, int sockets, int requestsPerSocket, SplittableRandom random, Tally tally) {
        for (int s = 0; s < sockets; s++) {
            PssstClientChannel.Builder anonymous;
            PssstClientChannel.Builder authenticated;
            try {
                anonymous = PssstClientChannel.builder(serverKey).retryPolicy(retry);
                authenticated = PssstClientChannel.builder(serverKey).clientKey(clientKey).retryPolicy(retry);
            } catch (GeneralSecurityException e) {
                tally.fail("client keys: " + e);
                return;
            }
            Set<String> anonServers = new HashSet<>();
            Set<String> authServers = new HashSet<>();
            try (PssstClientChannel anon = anonymous.open(); PssstClientChannel auth = authenticated.open()) {
                for (int i = 0; i < requestsPerSocket; i++) {
                    boolean useAuth = random.nextBoolean();
                    String message = "t" + thread + "-s" + s + "-r" + i + (useAuth ? "-authenticated" : "-anonymous");
                    String id = call(useAuth ? auth : anon, message, tally);
                    if (id != null) {
                        tally.add(useAuth ? "authenticated" : "anonymous", id);
                        (useAuth ? authServers : anonServers).add(id);
                    }
                }
                tally.socketDone(anon.stats(), anonServers);
                tally.socketDone(auth.stats(), authServers);
            } catch (IOException e) {
                tally.fail("t" + thread + ": " + e);
            }
        }
    }

    /**
     * One request of {@code message} on a fresh channel.
     *
     * @return the id of the server that answered
     * @throws AssertionError if no server answered it correctly
     */
    String answerOf(String message, boolean authenticated) throws IOException, GeneralSecurityException {
        PssstClientChannel.Builder builder = PssstClientChannel.builder(serverKey).retryPolicy(retry);
        if (authenticated) {
            builder.clientKey(clientKey);
        }
        Tally tally = new Tally();
        try (PssstClientChannel channel = builder.open()) {
            String id = call(channel, message, tally);
            tally.socketDone(channel.stats(), Set.of());
            if (id == null) {
                throw new AssertionError((authenticated ? "authenticated" : "anonymous") + " request of "
                        + message.length() + " bytes: " + tally.summary());
            }
            return id;
        }
    }

    /** One request; the id of the server that answered it, or null (counted as a failure). */
    private String call(PssstClientChannel channel, String message, Tally tally) {
        try {
            ByteBuffer reply = channel.call(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), target,
                    retry.totalTimeout());
            return answerer(message, reply, tally);
        } catch (PssstTimeoutException e) {
            tally.fail("'" + message + "': no reply within " + retry.totalTimeout());
        } catch (IOException e) {
            tally.fail("'" + message + "': " + e);
        }
        return null;
    }

    /** The id of the server whose reply this is, or null if it is not "ID: message" (counted as a failure). */
    private String answerer(String message, ByteBuffer reply, Tally tally) {
        String text = StandardCharsets.UTF_8.decode(reply).toString();
        for (String id : ids) {
            if (text.equals(id + ": " + message)) {
                return id;
            }
        }
        tally.fail("'" + message + "' got the reply '" + text + "'");
        return null;
    }

    /**
     * {@code n} requests in flight at once on one socket of each kind ({@code callAsync}), the
     * kind picked at random per request; waits for every reply.
     */
    Tally inFlight(int n, long seed) throws IOException, GeneralSecurityException, InterruptedException {
        Tally tally = new Tally();
        SplittableRandom random = new SplittableRandom(seed);
        try (PssstClientChannel anon = PssstClientChannel.builder(serverKey).retryPolicy(retry).open();
                PssstClientChannel auth = PssstClientChannel.builder(serverKey).clientKey(clientKey).retryPolicy(retry)
                        .open()) {
            List<String> messages = new ArrayList<>();
            List<CompletableFuture<ByteBuffer>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean useAuth = random.nextBoolean();
                String message = "in-flight-" + i + (useAuth ? "-authenticated" : "-anonymous");
                messages.add(message);
                replies.add((useAuth ? auth : anon).callAsync(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)),
                        target));
            }
            Set<String> anonServers = new HashSet<>();
            Set<String> authServers = new HashSet<>();
            long deadline = System.nanoTime() + retry.totalTimeout().toNanos() + 10_000_000_000L;
            for (int i = 0; i < n; i++) {
                String message = messages.get(i);
                try {
                    String id = answerer(message, replies.get(i).get(Math.max(1, deadline - System.nanoTime()),
                            TimeUnit.NANOSECONDS), tally);
                    if (id != null) {
                        String kind = message.endsWith("-authenticated") ? "authenticated" : "anonymous";
                        tally.add(kind, id);
                        (kind.equals("authenticated") ? authServers : anonServers).add(id);
                    }
                } catch (ExecutionException | TimeoutException e) {
                    tally.fail("'" + message + "': " + (e.getCause() != null ? e.getCause() : e));
                }
            }
            tally.socketDone(anon.stats(), anonServers);
            tally.socketDone(auth.stats(), authServers);
        }
        return tally;
    }

    /** The same requests with another retry policy. */
    PoolCalls withRetry(PssstRetryPolicy policy) {
        return new PoolCalls(target, serverKey, clientKey, ids, policy);
    }

    /** Patient: 1 s, doubling to 4 s, 4 attempts (11 s in all), so a busy machine does not look like a loss. */
    static PssstRetryPolicy patient() {
        return PssstRetryPolicy.of(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(4), 4);
    }

    /** Quick to retransmit: 250 ms, doubling to 2 s, 6 attempts — for when a server has just gone. */
    static PssstRetryPolicy quickRetry() {
        return PssstRetryPolicy.of(Duration.ofMillis(250), 2.0, Duration.ofSeconds(2), 6);
    }
}
