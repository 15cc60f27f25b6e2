package io.pssst.pool;

import static io.pssst.pool.NginxPoolIT.assertAnsweredByOneOf;
import static io.pssst.pool.NginxPoolIT.hostPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pool with no balancer process at all: two {@code pssst serve --reuse-port} processes
 * holding the same key bind one UDP port (SO_REUSEPORT), and the kernel spreads incoming
 * datagrams across them by the sender's address and port. Many client sockets send through
 * that one address; every request must get its own reply, both servers must answer some;
 * then one crashes and the kernel sends everything to the other. Linux (SO_REUSEPORT
 * balancing); run by failsafe in {@code mvn verify}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReusePortPoolIT {
    @Test
    void twoServersShareOnePort_kernelSpreadsClients_everyRequestAnswered_oneSurvivesTheOthersCrash() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"),
                "SO_REUSEPORT spreads datagrams across sockets on Linux; not on " + System.getProperty("os.name"));
        PssstJar pssst = PssstJar.forTest("reuse-port");
        Path serverKey = pssst.keygen("server.key");
        Path clientKey = pssst.keygen("client.key");
        try (PoolServer.Pair pool = PoolServer.Pair.sharingOnePort(pssst, serverKey, "127.0.0.1")) {
            assertEquals(pool.a().address, pool.b().address);
            PoolCalls calls = new PoolCalls(pool.a().address, PssstJar.publicKey(Path.of(serverKey + ".pub")),
                    PssstJar.privateKey(clientKey), pool.ids(), PoolCalls.patient());

            // 4 threads, each 12 pairs of fresh client sockets (one anonymous, one authenticated), 4 requests a pair.
            PoolCalls.Tally before = calls.run(4, 12, 4, 1);
            before.assertSpreadOver(pool.ids(), 192, () -> "");
            String server = hostPort(pool.a().address);
            assertAnsweredByOneOf(pool.ids(), "hello", pssst.run(Duration.ofSeconds(120), "send", "--server", server,
                    "--server-key", serverKey + ".pub", "--key", clientKey.toString(), "hello"));

            // A crashes: its socket leaves the port's group, and B gets every datagram.
            pool.a().crash();
            PoolCalls.Tally after = calls.withRetry(PoolCalls.quickRetry()).run(4, 6, 2, 2);
            after.assertAllFrom("B", 48, () -> "");
            assertEquals(0, after.refused(), after::summary);

            PoolServer.Stats b = pool.b().stopCleanly(before.answered("B") + after.answered("B"));

            System.out.printf("ReusePortPoolIT: %s and %s share %s (SO_REUSEPORT, one key)%n"
                    + "  both up: %s; %s%n"
                    + "  after A crashed: %s%n"
                    + "  B on SIGTERM: %d requests, %d replies, refused %s%n",
                    pool.a().id, pool.b().id, server, before.summary(), before.stickiness(), after.summary(),
                    b.requests(), b.replies(), b.refused());
        }
    }
}
