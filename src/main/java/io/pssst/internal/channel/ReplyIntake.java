package io.pssst.internal.channel;

import io.pssst.PssstException;
import io.pssst.ReplyMismatchException;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.internal.Bytes;
import io.pssst.internal.Wire;
import io.pssst.internal.channel.ChannelCounters.Counter;
import io.pssst.internal.channel.DatagramIo.Datagram;
import io.pssst.internal.channel.RequestTable.Kind;
import io.pssst.internal.channel.RequestTable.Match;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a client channel makes of a received datagram: the header checks, then the outstanding
 * request it answers ({@link RequestTable#find}, no cryptography), then the engine opens it —
 * into a new buffer for a call's future, or into the caller's buffer. Anything else is
 * dropped and counted by reason: unmatched, duplicate, late, forged.
 *
 * <p>The call pump reads replies for calls while no caller receives; a reply it reads for a
 * plain or explicit request is copied into a bounded queue that the next receive reads first
 * ({@link #pollHandoff}).
 */
public final class ReplyIntake implements ReceiveLoop.Intake<Match> {
    private static final int HANDOFF_LIMIT = 64;

    private final RequestTable table;
    private final ChannelCounters counters;
    private final Match match = new Match(); // the receive lock guards it
    private final ReentrantLock handoffLock = new ReentrantLock();
    private final ArrayDeque<Datagram> handoffs = new ArrayDeque<>();

    public ReplyIntake(RequestTable table, ChannelCounters counters) {
        this.table = table;
        this.counters = counters;
    }

    /**
     * A reply to a plain or explicit request, decrypted into {@code dst}: the match, which
     * names its transaction, id and sender (reused by the next accept); or null: dropped
     * (counted), or a call's reply (its future completed). The receive lock held.
     */
    @Override
    public Match accept(Datagram d, ByteBuffer dst) {
        return accept(d, dst, false);
    }

    /** The call pump's accept: completes calls; queues other replies for the next receive. */
    void pump(Datagram d) {
        accept(d, null, true);
    }

    private Match accept(Datagram d, ByteBuffer dst, boolean pump) {
        ByteBuffer data = d.data();
        DropReason problem = Opening.headerProblem(data, true);
        if (problem != null) {
            counters.drop(problem);
            return null;
        }
        Match m = match;
        if (!table.find(data, m)) {
            counters.drop(table.classifyUnmatched(data));
            return null;
        }
        boolean delivered = false;
        try {
            if (m.kind == Kind.CALL) {
                ByteBuffer out = ByteBuffer.allocate(data.remaining() - Wire.OVERHEAD);
                m.tx.openReply(data, out);
                if (table.complete(m)) {
                    counters.add(Counter.REPLIES_ACCEPTED);
                    m.future.complete(out.flip());
                } else {
                    counters.drop(DropReason.LATE_REPLY);
                }
                return null;
            }
            if (pump) {
                handOff(d);
                return null;
            }
            int start = dst.position();
            Opening.openInto(Opening.REPLY, m.tx, data, dst, counters);
            if (!table.complete(m)) {
                Bytes.wipe(dst, start, dst.position() - start);
                dst.position(start);
                counters.drop(DropReason.LATE_REPLY);
                return null;
            }
            counters.add(Counter.REPLIES_ACCEPTED);
            m.sender = d.sender();
            delivered = true;
            return m;
        } catch (ReplyMismatchException e) {
            // find() matched id and flags, and only this thread opens (the receive lock): the
            // engine refused because another thread gave the request up (timeout, eviction,
            // close) just now.
            counters.drop(DropReason.LATE_REPLY);
            return null;
        } catch (PssstException e) {
            counters.drop(e);
            return null;
        } finally {
            m.slot = null;
            m.future = null;
            if (!delivered) {
                m.tx = null;
                m.id = null;
                m.sender = null;
            }
        }
    }

    private void handOff(Datagram d) {
        handoffLock.lock();
        try {
            if (handoffs.size() < HANDOFF_LIMIT) {
                handoffs.addLast(Datagram.copyOf(d));
                return;
            }
        } finally {
            handoffLock.unlock();
        }
        counters.drop(DropReason.HANDOFF_OVERFLOW);
    }

    /** The oldest reply the call pump queued for a receive, or null. */
    public Datagram pollHandoff() {
        handoffLock.lock();
        try {
            return handoffs.pollFirst();
        } finally {
            handoffLock.unlock();
        }
    }

    /** Forgets the queued replies: the channel closed. */
    public void clearHandoffs() {
        handoffLock.lock();
        try {
            handoffs.clear();
        } finally {
            handoffLock.unlock();
        }
    }
}
