package io.pssst.internal.channel;

import io.pssst.internal.channel.DatagramIo.Datagram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A role's receive: read a datagram, let the role's intake classify, open and deliver it, and
 * read again until one is delivered. Each step returns what the next needs; nothing is left
 * in fields for another step to find.
 *
 * <p>Bounded in every mode: a timed wait ends at its deadline, and in non-blocking mode at
 * most {@link #NONBLOCKING_DRAIN} datagrams are examined per call, so a flood of invalid ones
 * cannot hold an event loop.
 *
 * @param <R> what the intake delivers (the role's record of an accepted datagram)
 */
public final class ReceiveLoop<R> {
    /** How many invalid datagrams one non-blocking receive examines before returning null. */
    public static final int NONBLOCKING_DRAIN = 64;

    /** Where datagrams come from (the socket, or a queue in front of it). */
    @FunctionalInterface
    public interface Source {
        /** The next datagram, or null: none ready (non-blocking) or timed out; as {@link DatagramIo#read}. */
        Datagram next(long timeoutMillis) throws IOException;
    }

    /** What the role makes of one datagram. */
    @FunctionalInterface
    public interface Intake<R> {
        /** The datagram decrypted into {@code dst}, as the role records it; or null: dropped (counted) or consumed otherwise. */
        R accept(Datagram d, ByteBuffer dst);
    }

    private final SelectableChannel channel;
    private final LongSupplier clock;
    private final Source source;
    private final Intake<R> intake;

    public ReceiveLoop(SelectableChannel channel, LongSupplier clock, Source source, Intake<R> intake) {
        this.channel = channel;
        this.clock = clock;
        this.source = source;
        this.intake = intake;
    }

    /**
     * Examines datagrams until one is delivered into {@code dst}; the receive lock held.
     *
     * @param timeoutMillis negative: the channel's own mode; otherwise a timed wait in
     *        blocking mode (0 = no limit)
     * @return what the intake delivered, or null: nothing ready in non-blocking mode, the
     *         timed wait ended, or {@link #NONBLOCKING_DRAIN} datagrams examined
     */
    public R receive(ByteBuffer dst, long timeoutMillis) throws IOException {
        long deadline = timeoutMillis > 0 ? clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        for (int examined = 1;; examined++) {
            long wait = timeoutMillis;
            if (deadline != 0) {
                wait = TimeUnit.NANOSECONDS.toMillis(deadline - clock.getAsLong());
                if (wait <= 0) {
                    return null;
                }
            }
            Datagram d = source.next(wait);
            if (d == null) {
                return null;
            }
            R delivered = intake.accept(d, dst);
            if (delivered != null) {
                return delivered;
            }
            if (!channel.isBlocking() && examined >= NONBLOCKING_DRAIN) {
                return null;
            }
        }
    }
}
