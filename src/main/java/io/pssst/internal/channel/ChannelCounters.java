package io.pssst.internal.channel;

import io.pssst.PssstException;
import io.pssst.channel.PssstChannelStats.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A channel's live counters: lock-free, allocation-free increments. The channel package turns
 * them into its public snapshot, {@code PssstChannelStats}; this class knows the snapshot's
 * drop reasons but not the snapshot itself. Drops and survived I/O errors are also told to
 * the channel's {@link ChannelLog}.
 */
public final class ChannelCounters {
    /** What a channel counts besides drops. */
    public enum Counter {
        DATAGRAMS_RECEIVED, DATAGRAMS_SENT,
        REQUESTS_SENT, RETRANSMISSIONS, REPLIES_ACCEPTED, REQUESTS_TIMED_OUT, REQUESTS_EVICTED, REQUESTS_EXPIRED,
        REQUESTS_ACCEPTED, REPLIES_SENT, CONTEXTS_EXPIRED, CONTEXTS_EVICTED,
        TRUNCATED, SEND_FAILURES, REPLY_SEND_FAILURES, REPLIES_REFUSED_AMPLIFICATION
    }

    private static final int COUNTERS = Counter.values().length;
    private static final DropReason[] REASONS = DropReason.values();

    private final AtomicLongArray counts = new AtomicLongArray(COUNTERS);
    private final AtomicLongArray drops = new AtomicLongArray(REASONS.length);
    private final ChannelLog log;

    /** Counters whose drops and failures go to {@code log}. */
    public ChannelCounters(ChannelLog log) {
        this.log = log;
    }

    /** Counters of a channel known only as "a PSSST channel" in the log (for tests and tools). */
    public ChannelCounters() {
        this(new ChannelLog(() -> "a PSSST channel", false, System::nanoTime));
    }

    /** The log of the channel these counters count for. */
    public ChannelLog log() {
        return log;
    }

    /** Counts one {@code c}. */
    public void add(Counter c) {
        counts.incrementAndGet(c.ordinal());
    }

    /** The count of {@code c} so far. */
    public long get(Counter c) {
        return counts.get(c.ordinal());
    }

    /** Counts one datagram dropped for {@code r}. */
    public void drop(DropReason r) {
        log.dropped(r, drops.incrementAndGet(r.ordinal()), this);
    }

    /** Counts one {@code c}, an I/O error {@code e} the channel survived, and logs it as {@code what}. */
    public void failed(Counter c, ChannelLog.Failure what, Exception e) {
        add(c);
        log.failed(what, e);
    }

    /** Counts a datagram the engine refused, by the engine's reason. */
    public void drop(PssstException e) {
        drop(reasonOf(e.reason()));
    }

    /** The drop counts so far, indexed by {@link DropReason#ordinal()} (a copy). */
    public long[] drops() {
        long[] d = new long[REASONS.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = drops.get(i);
        }
        return d;
    }

    /** The non-zero drop counts so far, by reason (for the log). */
    Map<DropReason, Long> dropCounts() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            long n = drops.get(r.ordinal());
            if (n != 0) {
                m.put(r, n);
            }
        }
        return m;
    }

    /** The channel's drop reason for a refusal of the engine. */
    public static DropReason reasonOf(PssstException.Reason r) {
        switch (r) {
            case MALFORMED:
                return DropReason.MALFORMED;
            case NOT_REQUEST:
            case NOT_REPLY:
                return DropReason.WRONG_DIRECTION;
            case UNSUPPORTED_SUITE:
                return DropReason.UNSUPPORTED_SUITE;
            case DECRYPT_FAILED:
                return DropReason.DECRYPT_FAILED;
            case CLIENT_AUTH_FAILED:
                return DropReason.CLIENT_AUTH_FAILED;
            case REPLY_MISMATCH:
                return DropReason.DUPLICATE_REPLY;
            case INVALID_KEY:
            default:
                return DropReason.INVALID_KEY;
        }
    }
}
