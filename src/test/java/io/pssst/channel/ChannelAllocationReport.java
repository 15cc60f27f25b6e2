package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.PssstClient;
import io.pssst.PssstServer;
import io.pssst.ReplyOpener;
import io.pssst.ReplySealer;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes allocated per transaction (request sealed, sent, opened; reply sealed, sent, opened),
 * measured with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} on one thread:
 * the raw engine on reused buffers, the raw engine plus the same datagrams through plain JDK
 * channels (what a hand-written PSSST-over-NIO loop costs), and the PSSST channels. The
 * difference between the last two is what the channel itself allocates.
 *
 * <p>Run: {@code mvn -o -q test -Dtest=ChannelAllocationReport -Dpssst.alloc.iterations=20000}
 * (default 1000). Results are printed; docs/channel.md quotes them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ChannelAllocationReport {
    private static final int MESSAGE = 100;

    private interface Transaction {
        void run() throws Exception;
    }

    /** {@code com.sun.management.ThreadMXBean}, by reflection: the module under test does not read java.management. */
    private static Object threadMxBean() throws ReflectiveOperationException {
        return Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
    }

    private static long allocated(Object mx, Method m, long threadId) throws ReflectiveOperationException {
        return (Long) m.invoke(mx, threadId);
    }

    private static long perTransaction(Transaction t, int iterations) throws Exception {
        Object mx = threadMxBean();
        Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        long id = Thread.currentThread().getId();
        for (int i = 0; i < iterations; i++) {
            t.run(); // warm-up: JIT, caches, lazily created pools
        }
        long before = allocated(mx, m, id);
        for (int i = 0; i < iterations; i++) {
            t.run();
        }
        return (allocated(mx, m, id) - before) / iterations;
    }

    @Test
    void allocationPerTransaction_channelAgainstEngine() throws Exception {
        Object mx;
        try {
            mx = threadMxBean();
        } catch (ReflectiveOperationException | LinkageError e) {
            mx = null;
        }
        assumeTrue(mx != null && mx.getClass().getInterfaces().length > 0, "no ThreadMXBean");
        int iterations = Integer.getInteger("pssst.alloc.iterations", 1000);
        PssstClient engineClient = PssstClient.anonymous(Loopback.serverPublic());
        PssstServer engineServer = PssstServer.create(Loopback.serverPrivate());
        ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE);
        ByteBuffer request = ByteBuffer.allocateDirect(MESSAGE + 52);
        ByteBuffer serverMessage = ByteBuffer.allocateDirect(MESSAGE);
        ByteBuffer reply = ByteBuffer.allocateDirect(MESSAGE + 52);
        ByteBuffer clientMessage = ByteBuffer.allocateDirect(MESSAGE);

        Transaction engine = () -> {
            ReplyOpener opener = engineClient.pack(message.clear(), request.clear());
            ReplySealer sealer = engineServer.open(request.flip(), serverMessage.clear());
            sealer.seal(serverMessage.flip(), reply.clear());
            opener.open(reply.flip(), clientMessage.clear());
        };

        try (DatagramChannel jdkClient = DatagramChannel.open().bind(any("127.0.0.1"));
                DatagramChannel jdkServer = DatagramChannel.open().bind(any("127.0.0.1"));
                PssstClientChannel client = PssstDatagramChannel.openClient(Loopback.serverPublic());
                PssstServerChannel server = PssstDatagramChannel.openServer(Loopback.serverPrivate())) {
            SocketAddress jdkServerAddress = jdkServer.getLocalAddress();
            ByteBuffer wire = ByteBuffer.allocateDirect(2048);
            Transaction engineOverJdk = () -> {
                ReplyOpener opener = engineClient.pack(message.clear(), request.clear());
                jdkClient.send(request.flip(), jdkServerAddress);
                SocketAddress from = jdkServer.receive(wire.clear());
                ReplySealer sealer = engineServer.open(wire.flip(), serverMessage.clear());
                sealer.seal(serverMessage.flip(), reply.clear());
                jdkServer.send(reply.flip(), from);
                jdkClient.receive(wire.clear());
                opener.open(wire.flip(), clientMessage.clear());
            };

            client.bind(any("127.0.0.1"));
            server.bind(any("127.0.0.1"));
            SocketAddress serverAddress = server.getLocalAddress();
            Transaction channel = () -> {
                client.send(message.clear(), serverAddress);
                SocketAddress from = server.receive(serverMessage.clear());
                server.send(serverMessage.flip(), from);
                client.receive(clientMessage.clear());
            };

            long e = perTransaction(engine, iterations);
            long j = perTransaction(engineOverJdk, iterations);
            long c = perTransaction(channel, iterations);
            String report = String.format(Locale.ROOT, "%nAllocation per transaction (%d-byte messages, %d iterations, Java %s):%n"
                    + "  raw engine, reused buffers        %6d bytes%n"
                    + "  raw engine + plain JDK channels   %6d bytes%n"
                    + "  PSSST channels                    %6d bytes  (channel's own: %d)%n",
                    MESSAGE, iterations, Runtime.version(), e, j, c, c - j);
            System.out.println(report);
            assertEquals(2L * iterations * 2, server.stats().requestsAccepted() + client.stats().repliesAccepted());
            // The JDK's X25519 allocates tens of kilobytes per transaction, varying by a few
            // percent; a per-packet buffer or copy in the channel would show well above that.
            assertTrue(c < j + j / 10, "the channel allocates a lot per transaction: " + report);
        }
    }
}
