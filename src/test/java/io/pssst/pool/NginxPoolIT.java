package io.pssst.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mission of PSSST as a test: a pool of servers needs nothing but a plain stateless UDP
 * load balancer. Two {@code pssst serve} processes hold the same key on 127.0.0.2:P and
 * 127.0.0.3:P; nginx on 127.0.0.1 balances every datagram on its own
 * ({@code proxy_responses 1}). Requests go through nginx — in-process through
 * {@code PssstClientChannel}, and with the {@code send} and {@code bench} commands — and every
 * one must get its own reply, from either server; then one server crashes and the other
 * answers everything. Skipped, saying what to install, without nginx and its stream module.
 * Run by failsafe in {@code mvn verify}; its files are left in {@code target/pool-it/nginx}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NginxPoolIT {
    private static final Duration COMMAND = Duration.ofSeconds(120);

    @Test
    void nginxBalancesEachDatagram_everyRequestAnsweredByEitherServer_oneSurvivesTheOthersCrash() throws Exception {
        Nginx.Installation installation = Nginx.findOrSkip();
        assumeTrue(PoolServer.canBind("127.0.0.2") && PoolServer.canBind("127.0.0.3"),
                "127.0.0.2 and 127.0.0.3 are not loopback addresses here (Linux routes all of 127.0.0.0/8 to lo)");
        PssstJar pssst = PssstJar.forTest("nginx");
        Path serverKey = pssst.keygen("server.key");
        Path clientKey = pssst.keygen("client.key");
        try (PoolServer.Pair pool = PoolServer.Pair.onTwoAddresses(pssst, serverKey, "127.0.0.2", "127.0.0.3");
                Nginx nginx = Nginx.start(installation, pssst.dir().resolve("nginx"), "127.0.0.1",
                        List.of(pool.a().address, pool.b().address))) {
            PoolCalls calls = new PoolCalls(nginx.address(), PssstJar.publicKey(Path.of(serverKey + ".pub")),
                    PssstJar.privateKey(clientKey), pool.ids(), PoolCalls.patient());

            // Both servers up: 400 requests in 4 threads, anonymous and authenticated at random.
            PoolCalls.Tally before = calls.run(4, 1, 100, 1);
            before.assertSpreadOver(pool.ids(), 400, nginx::accessLog);

            // One socket with 100 requests in flight at once: every reply finds its request, whichever server sent it.
            PoolCalls.Tally inFlight = calls.inFlight(100, 3);
            inFlight.assertSpreadOver(pool.ids(), 100, nginx::accessLog);

            // Large datagrams pass too: a 60,000-byte message, and its reply.
            String large = "large:" + "x".repeat(60_000);
            assertTrue(pool.ids().contains(calls.answerOf(large, false)));
            assertTrue(pool.ids().contains(calls.answerOf(large, true)));

            // The commands users run, through the balancer.
            String server = hostPort(nginx.address());
            String pub = serverKey + ".pub";
            assertAnsweredByOneOf(pool.ids(), "hello", pssst.run(COMMAND, "send", "--server", server, "--server-key", pub,
                    "hello"));
            assertAnsweredByOneOf(pool.ids(), "hello", pssst.run(COMMAND, "send", "--server", server, "--server-key", pub,
                    "--key", clientKey.toString(), "hello"));
            JsonObject anonymousBench = bench(pssst, server, pub);
            JsonObject authenticatedBench = bench(pssst, server, pub, "--key", clientKey.toString());

            // A crashes; nginx sees its port refuse a datagram, leaves it out, and B answers everything.
            pool.a().crash();
            PoolCalls.Tally after = calls.withRetry(PoolCalls.quickRetry()).run(2, 1, 50, 2);
            after.assertAllFrom("B", 100, nginx::errorLog);
            // nginx (1.22) sends the client an empty datagram when a backend refuses its request: dropped as malformed.
            assertEquals(after.refused(), after.dropped("malformed"), after::summary);
            assertAnsweredByOneOf(List.of("B"), "still there?", pssst.run(COMMAND, "send", "--server", server,
                    "--server-key", pub, "--timeout", "500", "--retries", "5", "still there?"));

            PoolServer.Stats b = pool.b().stopCleanly(before.answered("B") + inFlight.answered("B") + after.answered("B"));

            System.out.printf("NginxPoolIT: nginx %s in front of %s and %s (one key)%n"
                    + "  both up, in-process: %s%n"
                    + "  both up, 100 in flight on one socket of each kind: %s%n"
                    + "  both up, bench: anonymous %s req/s, authenticated %s req/s, no timeout, no refusal%n"
                    + "  after A crashed: %s%n"
                    + "  B on SIGTERM: %d requests, %d replies, refused %s%n"
                    + "  nginx: %s%n",
                    server, pool.a(), pool.b(), before.summary(), inFlight.summary(), anonymousBench.get("requests_per_second"),
                    authenticatedBench.get("requests_per_second"), after.summary(), b.requests(), b.replies(),
                    b.refused(), nginx.errorLog().contains("temporarily disabled")
                            ? "took A out after it refused a datagram" : "did not log taking A out");
        }
    }

    /** {@code pssst bench --requests 500 --json} through the balancer: all completed, nothing refused or lost. */
    private static JsonObject bench(PssstJar pssst, String server, String pub, String... options) throws Exception {
        String[] args = {"bench", "--server", server, "--server-key", pub, "--requests", "500", "--clients", "4",
            "--timeout", "5000", "--json"};
        String out = pssst.run(COMMAND, concat(args, options));
        String json = out.lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("bench printed no JSON:\n" + out));
        JsonObject r = JsonParser.parseString(json).getAsJsonObject();
        assertEquals(500, r.get("requests").getAsLong(), out);
        assertEquals(0, r.get("timeouts").getAsLong(), out);
        assertEquals(0, r.get("refusals").getAsLong(), out);
        assertEquals(0, r.get("errors").getAsLong(), out);
        return r;
    }

    static void assertAnsweredByOneOf(List<String> ids, String message, String output) {
        assertTrue(ids.stream().anyMatch(id -> output.equals(id + ": " + message + "\n")),
                () -> "expected a reply '" + message + "' from one of " + ids + ", got:\n" + output);
    }

    static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
