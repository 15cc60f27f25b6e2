package io.pssst.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.channel.Loopback.ReversingServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1,000 virtual threads share one client channel and each makes a blocking {@code call}.
 * Java 21+ only (the build targets 17, so virtual threads are reached by reflection); CI runs
 * it on Java 25. The carrier pool is pinned to one thread when this test is the first to
 * start virtual threads, so a call that pinned its carrier while waiting would stall the rest.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadCallTest {

    @Test
    void call_from1000VirtualThreads_allRepliesVerified() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
        System.setProperty("jdk.virtualThreadScheduler.parallelism", "1");
        System.setProperty("jdk.virtualThreadScheduler.maxPoolSize", "1");
        int n = 1_000;
        PssstServerChannel serverChannel = PssstDatagramChannel.openServer(Loopback.serverPrivate());
        serverChannel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        try (ReversingServer server = new ReversingServer(serverChannel, "127.0.0.1");
                PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic())
                        .retryPolicy(PssstRetryPolicy.of(Duration.ofMillis(500), 2, Duration.ofSeconds(4), 8)).open()) {
            ExecutorService virtual = (ExecutorService) Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            client.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String q = "virtual " + i;
                results.add(virtual.submit(() -> {
                    assertTrue((Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
                    ByteBuffer r = client.call(ByteBuffer.wrap(q.getBytes(StandardCharsets.UTF_8)), server.address,
                            Duration.ofSeconds(60));
                    return StandardCharsets.UTF_8.decode(r).toString();
                }));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(Loopback.reverse("virtual " + i), results.get(i).get(100, TimeUnit.SECONDS));
            }
            virtual.shutdown();
            assertTrue(virtual.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(n, client.stats().repliesAccepted());
            assertEquals(0, client.outstandingRequests());
        }
    }
}
