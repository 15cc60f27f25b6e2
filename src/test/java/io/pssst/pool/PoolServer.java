package io.pssst.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code pssst serve --id ID} process of a pool: started, its address read from its
 * "listening on" line, stopped by SIGTERM (its statistics line parsed) or killed (a crash).
 * Public for the live interop tests, which run one against the Python reference client.
 */
public final class PoolServer implements AutoCloseable {
    /** A server process lives at most this long, whatever happens to the test. */
    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+) ");
    private static final Pattern STATS = Pattern.compile(
            "stopped after \\S+ s: (\\d+) requests, (\\d+) replies, refused: (.*)");

    public final String id;
    public final InetSocketAddress address;
    private final PoolProcess process;

    private PoolServer(String id, InetSocketAddress address, PoolProcess process) {
        this.id = id;
        this.address = address;
        this.process = process;
    }

    /**
     * What a server said when it stopped.
     *
     * @param requests requests it accepted
     * @param replies replies it sent
     * @param refused refused datagrams by reason, or "none"
     */
    public record Stats(long requests, long replies, String refused) {
    }

    /**
     * Starts {@code pssst serve --key KEY --bind BIND --id ID OPTIONS}.
     *
     * @return the server, or {@code null} if it could not listen there (the port is taken)
     * @throws AssertionError if it failed in any other way
     */
    public static PoolServer tryStart(PssstJar pssst, String id, String bind, Path key, String... options)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("serve", "--key", key.toString(), "--bind", bind, "--id", id));
        args.addAll(List.of(options));
        PoolProcess p = pssst.start("serve-" + id, LIFETIME, args.toArray(String[]::new));
        try {
            Matcher m = p.awaitOutput(LISTENING, Duration.ofSeconds(60));
            if (m == null) {
                int status = p.waitFor(Duration.ofSeconds(10));
                if (p.output().contains("cannot listen on")) {
                    return null;
                }
                throw new AssertionError("serve " + id + " exited with " + status + ":\n" + p.output());
            }
            PoolServer server = new PoolServer(id, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))), p);
            p = null;
            return server;
        } finally {
            if (p != null) {
                p.close();
            }
        }
    }

    /** SIGTERM; asserts exit 0 and returns the statistics line's figures. */
    public Stats stop() throws InterruptedException {
        int status = process.terminate(Duration.ofSeconds(30));
        assertEquals(0, status, () -> "serve " + id + " did not exit 0 on SIGTERM:\n" + process.output());
        Matcher m = STATS.matcher(process.output());
        if (!m.find()) {
            throw new AssertionError("serve " + id + " printed no statistics on SIGTERM:\n" + process.output());
        }
        return new Stats(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3).strip());
    }

    /**
     * SIGTERM; asserts a clean stop: exit 0, nothing refused, a reply for every request, and
     * at least {@code answeredAtLeast} requests (those the test saw this server answer).
     */
    public Stats stopCleanly(long answeredAtLeast) throws InterruptedException {
        Stats stats = stop();
        assertEquals("none", stats.refused(), this::output);
        assertEquals(stats.requests(), stats.replies(), this::output);
        assertTrue(stats.requests() >= answeredAtLeast, this::output);
        return stats;
    }

    /** SIGKILL: the server disappears without a word, as in a crash. */
    void crash() throws InterruptedException {
        process.kill();
    }

    public String output() {
        return process.output();
    }

    /** {@link PoolProcess#signal}: e.g. {@code HUP}, which makes {@code serve} reload its key files. */
    public void signal(String signal) throws IOException, InterruptedException {
        process.signal(signal);
    }

    /** {@link PoolProcess#awaitOutput}: the first match in everything the server printed so far. */
    public Matcher awaitOutput(Pattern pattern, Duration within) throws InterruptedException {
        return process.awaitOutput(pattern, within);
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The id of the server's JVM (for {@code jcmd}). */
    long pid() {
        return process.commandPid();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    @Override
    public String toString() {
        return id + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** A UDP port nothing is bound to on {@code host} right now (the kernel's pick; bound and released). */
    static int freeUdpPort(String host) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0))) {
            return s.getLocalPort();
        }
    }

    /** Whether a UDP socket can be bound on {@code host} (127.0.0.2 is loopback on Linux, not on macOS). */
    static boolean canBind(String host) {
        try {
            freeUdpPort(host);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Two servers holding the same key: A and B. Closing kills whatever still runs.
     *
     * @param a the first
     * @param b the second
     */
    record Pair(PoolServer a, PoolServer b) implements AutoCloseable {
        private static final int ATTEMPTS = 5;

        /** A on {@code hostA:P}, B on {@code hostB:P}: the same port on two loopback addresses. */
        static Pair onTwoAddresses(PssstJar pssst, Path key, String hostA, String hostB)
                throws IOException, InterruptedException {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                PoolServer a = tryStart(pssst, "A", hostA + ":0", key);
                if (a == null) {
                    continue;
                }
                PoolServer b = tryStart(pssst, "B", hostB + ":" + a.address.getPort(), key);
                if (b != null) {
                    return new Pair(a, b);
                }
                a.close(); // port taken on hostB: another port
            }
            throw new AssertionError("no port free on both " + hostA + " and " + hostB + " in " + ATTEMPTS + " attempts");
        }

        /** A and B both on {@code host:P} with {@code --reuse-port}: the kernel spreads datagrams across them. */
        static Pair sharingOnePort(PssstJar pssst, Path key, String host) throws IOException, InterruptedException {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                String bind = host + ":" + freeUdpPort(host);
                PoolServer a = tryStart(pssst, "A", bind, key, "--reuse-port");
                if (a == null) {
                    continue; // taken since we looked
                }
                PoolServer b = tryStart(pssst, "B", bind, key, "--reuse-port");
                if (b != null) {
                    return new Pair(a, b);
                }
                a.close();
            }
            throw new AssertionError("two --reuse-port servers could not share a port on " + host
                    + " in " + ATTEMPTS + " attempts");
        }

        List<String> ids() {
            return List.of(a.id, b.id);
        }

        @Override
        public void close() throws InterruptedException {
            try {
                b.close();
            } finally {
                a.close();
            }
        }
    }
}
