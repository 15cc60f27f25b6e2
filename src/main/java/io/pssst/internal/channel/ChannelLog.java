package io.pssst.internal.channel;

import io.pssst.channel.PssstChannelStats.DropReason;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What one channel logs, through the {@link System.Logger} named {@value #NAME}. Counters
 * say how often; the log says that something started to happen, and what the JDK reported:
 * <ul>
 *   <li>the first datagram dropped for each {@link DropReason}: at {@code INFO} on a server
 *       channel (where a new kind of refusal is news: a client with the wrong key, a scan, a
 *       flood), at {@code DEBUG} on a client channel (duplicate and late replies are routine
 *       there, and an application may open many clients);</li>
 *   <li>later drops: at {@code DEBUG}, one line at most once a second with the drop counts so
 *       far;</li>
 *   <li>an I/O error the channel survives (a reply or request the network refused, a receive
 *       error of the call pump): at {@code WARNING}, one line at most once a second per kind,
 *       saying how many more there were since the last.</li>
 * </ul>
 * Nothing here formats a line unless the logger takes it, and the per-datagram path (a drop)
 * costs an {@code isLoggable} check at most: no string, no lambda, no allocation. No line holds
 * key material or message bytes: the channel's {@code toString} (local address, role, policy
 * by kind), reasons, counts, and the JDK's I/O exception.
 */
public final class ChannelLog {
    /** The logger's name: every channel's lines, and its MXBean's registration. */
    public static final String NAME = "io.pssst.channel";
    static final Logger LOG = System.getLogger(NAME);
    static final long SECOND = 1_000_000_000L;

    /** An I/O error that the channel counts (or not) and survives. */
    public enum Failure {
        /** Server: a reply the network stack refused for its destination. */
        REPLY_SEND("a reply could not be sent", "replySendFailures"),
        /** Client: a copy of a request (first or retransmitted) that the socket refused. */
        REQUEST_SEND("a request could not be sent", "sendFailures"),
        /** Client: the call pump's receive failed (e.g. ICMP port unreachable on a connected socket). */
        RECEIVE("a receive failed", null);

        private final String what;
        private final String counter;

        Failure(String what, String counter) {
            this.what = what;
            this.counter = counter;
        }
    }

    private final Supplier<String> channel;
    private final Level firstDrop;
    private final LongSupplier clock;
    private final Window drops;
    private final Window[] failures = new Window[Failure.values().length];

    /**
     * @param channel the channel's description ({@code toString}), asked for only to log a line
     * @param server whether the channel is a server's (first drops at INFO) or a client's (DEBUG)
     * @param clock nanoseconds, as {@link System#nanoTime()}
     */
    public ChannelLog(Supplier<String> channel, boolean server, LongSupplier clock) {
        this.channel = channel;
        this.firstDrop = server ? Level.INFO : Level.DEBUG;
        this.clock = clock;
        long now = clock.getAsLong();
        this.drops = new Window(now);
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new Window(now);
        }
    }

    /**
     * A datagram was dropped for {@code reason}, the {@code count}-th for it; {@code counters}
     * gives the counts so far, read only when a summary is logged. The per-datagram path.
     */
    void dropped(DropReason reason, long count, ChannelCounters counters) {
        if (count == 1) {
            if (LOG.isLoggable(firstDrop)) {
                LOG.log(firstDrop, channel.get() + ": dropped a datagram: " + reason
                        + " (the first for this reason; every drop is counted in stats(), later ones are"
                        + " logged at DEBUG at most once a second)");
            }
        } else if (LOG.isLoggable(Level.DEBUG) && drops.admit(clock.getAsLong()) >= 0) {
            LOG.log(Level.DEBUG, channel.get() + ": datagrams dropped so far, by reason: "
                    + counters.dropCounts());
        }
    }

    /** The channel survived {@code e}, an I/O error of kind {@code what} (counted by the caller where it has a counter). */
    public void failed(Failure what, Exception e) {
        if (!LOG.isLoggable(Level.WARNING)) {
            return;
        }
        long suppressed = failures[what.ordinal()].admit(clock.getAsLong());
        if (suppressed >= 0) {
            LOG.log(Level.WARNING, channel.get() + ": " + what.what + ": " + e
                    + (suppressed > 0 ? " (and " + suppressed + " more in the last second or so, not logged)" : "")
                    + (what.counter != null ? "; counted in stats()." + what.counter + "()" : "")
                    + "; the channel carries on. At most one such line a second.");
        }
    }

    /**
     * At most one line a second: {@link #admit} says whether a line may be logged now, and how
     * many were held back since the last one. Lock-free; any thread.
     */
    static final class Window {
        private final AtomicLong next;
        private final AtomicLong held = new AtomicLong();

        Window(long now) {
            this.next = new AtomicLong(now);
        }

        /** -1 if a line was logged less than a second ago (this one is held back), else how many were. */
        long admit(long now) {
            long n = next.get();
            if (now - n < 0 || !next.compareAndSet(n, now + SECOND)) {
                held.incrementAndGet();
                return -1;
            }
            return held.getAndSet(0);
        }
    }
}
