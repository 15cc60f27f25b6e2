package io.pssst.channel;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;

/** Loopback helpers for the selector and channel tests; every wait is bounded. */
final class SelectorTesting {
    /** Upper bound of any wait; never reached when things work. */
    static final long BOUND_MS = 10_000;

    private SelectorTesting() {
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** A non-blocking JDK datagram channel bound to an ephemeral loopback port. */
    static DatagramChannel openJdkDatagram() throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(loopback());
        ch.configureBlocking(false);
        return ch;
    }

    static SocketAddress local(DatagramChannel ch) throws IOException {
        return ch.getLocalAddress();
    }

    static void send(DatagramChannel from, String text, SocketAddress to) throws IOException {
        int sent = from.send(bytes(text), to);
        if (sent == 0) {
            fail("datagram not sent");
        }
    }

    static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(ByteBuffer flipped) {
        byte[] b = new byte[flipped.remaining()];
        flipped.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Receives one datagram from a non-blocking channel, or null. */
    static String receive(DatagramChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        return ch.receive(buf) == null ? null : text(buf.flip());
    }

    /**
     * Hands each ready key to {@code serve} until {@code done}, selecting in the given form:
     * {@code "consumer"} ({@code select(Consumer, timeout)}) or {@code "selectedKeys"}
     * ({@code select(timeout)} and an iterator over the selected-key set, removing each key).
     * Returns when done or after {@link #BOUND_MS}; the caller asserts the outcome.
     */
    static void serveUntil(Selector selector, String form, Consumer<SelectionKey> serve,
            BooleanSupplier done) throws IOException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (!done.getAsBoolean() && System.nanoTime() - end < 0) {
            if (form.equals("consumer")) {
                selector.select(serve, 50);
            } else {
                selector.select(50);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    serve.accept(key);
                }
            }
        }
    }

    /** Selects (classic form) until {@code done}, failing after {@link #BOUND_MS}. */
    static void selectUntil(Selector selector, BooleanSupplier done) throws IOException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("condition not met within " + BOUND_MS + " ms");
            }
            selector.select(50);
        }
    }

    /** Waits (polling) until {@code condition} holds, failing after {@link #BOUND_MS}: for conditions on counters, never on time. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("not within " + BOUND_MS + " ms: " + what);
            }
            Thread.sleep(2);
        }
    }

    /** An I/O step, for lambdas. */
    interface IoStep {
        void run() throws IOException;
    }

    /** Runs an I/O step inside a lambda, rethrowing its exception unchecked. */
    static void io(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code selector.select()} (no timeout), failing instead of hanging if it has not
     * returned within {@link #BOUND_MS}: for tests of wakeups that must not be lost.
     */
    static int boundedSelect(Selector selector) {
        return assertTimeoutPreemptively(Duration.ofMillis(BOUND_MS), () -> selector.select(),
                "select() was not woken up");
    }

    /** Joins a helper thread, failing if it does not finish within {@link #BOUND_MS}. */
    static void joinBounded(Thread t) throws InterruptedException {
        t.join(BOUND_MS);
        if (t.isAlive()) {
            t.interrupt();
            fail(t.getName() + " did not finish within " + BOUND_MS + " ms");
        }
    }
}
