package io.pssst.channel;

import io.pssst.PssstException;
import io.pssst.channel.PssstChannelStats.DropReason;
import java.util.concurrent.atomic.AtomicLongArray;

/** A channel's live counters: lock-free, allocation-free increments; {@link #snapshot()} copies them. */
final class ChannelCounters {
    enum Counter {
        DATAGRAMS_RECEIVED, DATAGRAMS_SENT,
        REQUESTS_SENT, RETRANSMISSIONS, REPLIES_ACCEPTED, REQUESTS_TIMED_OUT, REQUESTS_EVICTED, REQUESTS_EXPIRED,
        REQUESTS_ACCEPTED, REPLIES_SENT, CONTEXTS_EXPIRED, CONTEXTS_EVICTED,
        TRUNCATED, SEND_FAILURES, REPLY_SEND_FAILURES
    }

    private static final Counter[] COUNTERS = Counter.values();
    private static final DropReason[] REASONS = DropReason.values();

    private final AtomicLongArray counts = new AtomicLongArray(COUNTERS.length);
    private final AtomicLongArray drops = new AtomicLongArray(REASONS.length);

    void add(Counter c) {
        counts.incrementAndGet(c.ordinal());
    }

    long get(Counter c) {
        return counts.get(c.ordinal());
    }

    void drop(DropReason r) {
        drops.incrementAndGet(r.ordinal());
    }

    /** Counts a datagram the engine refused, by the engine's reason. */
    void drop(PssstException e) {
        drop(reasonOf(e.reason()));
    }

    static DropReason reasonOf(PssstException.Reason r) {
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

    PssstChannelStats snapshot() {
        long[] c = new long[COUNTERS.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
        }
        long[] d = new long[REASONS.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = drops.get(i);
        }
        return new PssstChannelStats(c, d);
    }
}
