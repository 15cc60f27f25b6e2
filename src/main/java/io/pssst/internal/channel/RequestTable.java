package io.pssst.internal.channel;

import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.channel.PssstRequestId;
import io.pssst.channel.PssstTimeoutException;
import io.pssst.internal.ClientTransaction;
import io.pssst.internal.Wire;
import io.pssst.internal.channel.ChannelCounters.Counter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A client channel's outstanding requests: at most {@code capacity}, each with its engine
 * transaction, found by request id when a reply comes. Requests of {@code call},
 * {@code callAsync} and {@code sendRequest} ("managed") keep a copy of their datagram for
 * {@link RetransmissionTimers}; plain {@code send}s only expire.
 *
 * <p>Slots are pooled ({@link NodePool}) and indexed by the first 8 bytes of the request id
 * ({@link LongIndex}), so the plain send/receive path allocates nothing here. A short ring
 * of recently finished ids tells a duplicate or late reply from an unmatched one. One lock
 * guards everything; no I/O happens under it, and futures are completed after it is released.
 */
public final class RequestTable {
    /** How a request was sent, which decides how it ends. */
    public enum Kind {
        /** {@code send}/{@code write}: no retransmission; expires unanswered. */
        PLAIN,
        /** {@code sendRequest}: retransmitted; its timeout is an event for {@code receiveReply}. */
        EXPLICIT,
        /** {@code call}/{@code callAsync}: retransmitted; its reply or timeout completes a future. */
        CALL
    }

    /** For {@link #reserve}: do not wait at all. */
    public static final long NO_WAIT = Long.MIN_VALUE;

    /** Makes the exception a call that gets no reply fails with (the channel package's own type). */
    @FunctionalInterface
    public interface TimeoutFactory {
        PssstTimeoutException timeout(PssstRequestId id, int attempts, boolean evicted, String message);
    }

    /** What a receiver learned about a reply's request: filled under the lock, used after it. */
    public static final class Match {
        RequestSlot slot;
        long generation;
        ClientTransaction tx;
        Kind kind;
        CompletableFuture<ByteBuffer> future;
        PssstRequestId id;
        SocketAddress sender;

        /** Where the reply came from. */
        public SocketAddress sender() {
            return sender;
        }

        /** The transaction of the matched request. */
        public ClientTransaction tx() {
            return tx;
        }

        /** Its id, for a managed request; null for a plain one. */
        public PssstRequestId id() {
            return id;
        }
    }

    /**
     * A managed request's timer has fired and it may be sent again: what to send ({@code datagram}
     * null when every attempt is used up: wait for the deadline), where, and the attempts made
     * with this one.
     */
    record Attempt(ByteBuffer datagram, SocketAddress target, int attempts, long deadline) {
    }

    /** A timeout of an explicit request, for {@code receiveReply}. */
    public record TimedOut(PssstRequestId id, int attempts, boolean evicted) {
    }

    /** A request given up, captured before its slot is reused. */
    private static final class Abandoned {
        final ClientTransaction tx;
        final CompletableFuture<ByteBuffer> future;
        final PssstRequestId id;
        final int attempts;
        final boolean evicted;

        Abandoned(RequestSlot s, boolean evicted) {
            this.tx = s.tx;
            this.future = s.future;
            this.id = s.id;
            this.attempts = s.attempts;
            this.evicted = evicted;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final int capacity;
    private final NodePool<RequestSlot> pool = new NodePool<>(RequestSlot::new);
    private final LongIndex index;
    private final NodePool.Chain<RequestSlot> plain = new NodePool.Chain<>();
    private final NodePool.Chain<RequestSlot> managed = new NodePool.Chain<>();
    private int size;
    private int calls;
    private final RecentIds recent = new RecentIds();
    private final ArrayDeque<TimedOut> events = new ArrayDeque<>();
    private boolean closed;

    private final ChannelCounters counters;
    private final LongSupplier clock;
    private final TimeoutFactory timeouts;

    public RequestTable(int capacity, ChannelCounters counters, LongSupplier clock, TimeoutFactory timeouts) {
        this.capacity = capacity;
        this.index = new LongIndex(capacity);
        this.counters = counters;
        this.clock = clock;
        this.timeouts = timeouts;
    }

    /**
     * Takes a slot for a new request. When all are taken and {@code evict} is true, the
     * oldest request (plain ones first) is abandoned and counted as evicted. When no slot can
     * be had that way (a blocking call never evicts; or every slot is held by a request still
     * being sealed, which cannot be evicted), waits for room until {@code waitDeadline} — or,
     * with {@link #NO_WAIT}, returns null at once: a non-blocking caller never waits here.
     *
     * @return the slot, or null (only with {@link #NO_WAIT})
     * @throws PssstTimeoutException no room by {@code waitDeadline}
     * @throws InterruptedIOException interrupted while waiting
     * @throws ClosedChannelException the channel closed
     */
    public RequestSlot reserve(Kind kind, boolean evict, long waitDeadline) throws IOException {
        Abandoned victim = null;
        RequestSlot s;
        lock.lock();
        try {
            while (size == capacity && !closed) {
                if (evict) {
                    RequestSlot oldest = plain.first() != null ? plain.first() : managed.first();
                    if (oldest != null) {
                        victim = abandon(oldest, true);
                        counters.add(Counter.REQUESTS_EVICTED);
                        break;
                    }
                }
                if (waitDeadline == NO_WAIT) {
                    return null;
                }
                long left = waitDeadline - clock.getAsLong();
                if (left <= 0) {
                    throw timeouts.timeout(null, 0, false, "no room for another request: "
                            + capacity + " are outstanding (the channel's maxOutstandingRequests)");
                }
                try {
                    room.awaitNanos(left); // signalled when a slot is released, or activated (evictable)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for room for a request");
                }
            }
            if (closed) {
                throw new ClosedChannelException();
            }
            s = pool.take();
            s.kind = kind;
            size++;
            if (kind == Kind.CALL) {
                calls++;
            }
        } finally {
            lock.unlock();
        }
        if (victim != null) {
            finish(victim, null);
        }
        return s;
    }

    /**
     * Makes a reserved slot findable by its reply, before the request is sent. Returns false
     * if the channel closed meanwhile (the slot is released).
     */
    public boolean activate(RequestSlot s, ClientTransaction tx, long prefix, SocketAddress target, ByteBuffer datagram,
            CompletableFuture<ByteBuffer> future, PssstRequestId id, long deadline) {
        lock.lock();
        try {
            if (closed) {
                release(s);
                return false;
            }
            s.tx = tx;
            s.prefix = prefix;
            s.target = target;
            s.datagram = datagram;
            s.future = future;
            s.id = id;
            s.attempts = 1;
            s.deadline = deadline;
            s.active = true;
            index.put(prefix, s.number);
            if (lock.hasWaiters(room)) {
                room.signalAll(); // it can be evicted now
            }
            (s.kind == Kind.PLAIN ? plain : managed).addLast(s);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Undoes reserve/activate after a failed or zero-byte send: no counters, no events. */
    public void cancel(RequestSlot s, long generation) {
        lock.lock();
        try {
            if (s.holds(generation)) {
                if (s.tx != null) {
                    s.tx.destroy();
                }
                release(s);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the request reserved as {@code generation} of slot {@code s} is still waiting for its reply. */
    public boolean isOutstanding(RequestSlot s, long generation) {
        lock.lock();
        try {
            return s.holds(generation);
        } finally {
            lock.unlock();
        }
    }

    /** Gives up a call whose request could not be sent: its future fails with {@code cause}; no counters. */
    public void fail(RequestSlot s, long generation, Throwable cause) {
        Abandoned failed = null;
        lock.lock();
        try {
            if (s.holds(generation)) {
                failed = new Abandoned(s, false);
                release(s);
            }
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            finish(failed, cause);
        }
    }

    /** Finds the outstanding request {@code reply} claims to answer (header and id; no crypto). */
    public boolean find(ByteBuffer reply, Match m) {
        long prefix = reply.getLong(reply.position() + Wire.HEADER_LENGTH);
        lock.lock();
        try {
            for (int c = index.first(prefix); c >= 0; c = index.next(prefix, c)) {
                RequestSlot s = pool.get(index.valueAt(c));
                if (s.active && s.tx.answeredBy(reply)) {
                    m.slot = s;
                    m.generation = s.generation;
                    m.tx = s.tx;
                    m.kind = s.kind;
                    m.future = s.future;
                    m.id = s.id;
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Why a reply that {@link #find} did not match is dropped: duplicate, late, or unmatched. */
    DropReason classifyUnmatched(ByteBuffer reply) {
        long prefix = reply.getLong(reply.position() + Wire.HEADER_LENGTH);
        lock.lock();
        try {
            return recent.classify(prefix);
        } finally {
            lock.unlock();
        }
    }

    /** Marks the matched request answered (its reply was opened); false if it was given up meanwhile. */
    boolean complete(Match m) {
        lock.lock();
        try {
            if (!m.slot.holds(m.generation)) {
                return false;
            }
            recent.remember(m.slot.prefix, true);
            release(m.slot);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops plain requests older than the retry policy's total timeout. */
    public void expirePlain(long now) {
        List<Abandoned> expired = null;
        lock.lock();
        try {
            while (plain.first() != null && now - plain.first().deadline >= 0) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(abandon(plain.first(), false));
                counters.add(Counter.REQUESTS_EXPIRED);
            }
        } finally {
            lock.unlock();
        }
        if (expired != null) {
            for (Abandoned a : expired) {
                finish(a, null);
            }
        }
    }

    /**
     * A managed request's timer fired at {@code now}: past its deadline it times out (counted,
     * its future failed or its event queued) and null is returned, as when it is no longer
     * outstanding; otherwise it counts one more attempt, if {@code maxAttempts} allows, and
     * returns what to send.
     */
    Attempt attempt(RequestSlot s, long generation, long now, int maxAttempts) {
        Abandoned timedOut;
        lock.lock();
        try {
            if (!s.holds(generation) || !s.active) {
                return null;
            }
            if (now - s.deadline < 0) {
                if (s.attempts >= maxAttempts) {
                    return new Attempt(null, null, s.attempts, s.deadline);
                }
                s.attempts++;
                return new Attempt(s.datagram, s.target, s.attempts, s.deadline);
            }
            timedOut = abandon(s, false);
            counters.add(Counter.REQUESTS_TIMED_OUT);
        } finally {
            lock.unlock();
        }
        finish(timedOut, null);
        return null;
    }

    /** Sets the timer of an outstanding request; cancels it at once if the request is gone. */
    void setTimer(RequestSlot s, long generation, Future<?> timer) {
        lock.lock();
        try {
            if (s.holds(generation) && s.active) {
                s.timer = timer;
                return;
            }
        } finally {
            lock.unlock();
        }
        timer.cancel(false);
    }

    /** Gives up a request: captured, then its slot released. Lock held. */
    private Abandoned abandon(RequestSlot s, boolean evicted) {
        Abandoned a = new Abandoned(s, evicted);
        recent.remember(s.prefix, false);
        if (s.kind == Kind.EXPLICIT) {
            if (events.size() >= 2 * capacity) {
                events.pollFirst();
            }
            events.addLast(new TimedOut(s.id, s.attempts, evicted));
        }
        release(s);
        return a;
    }

    /** Wipes a given-up request's keys and fails its future (with {@code cause}, else a timeout), outside the lock. */
    private void finish(Abandoned a, Throwable cause) {
        a.tx.destroy();
        if (a.future != null) {
            a.future.completeExceptionally(cause != null ? cause
                    : timeouts.timeout(a.id, a.attempts, a.evicted, a.evicted
                            ? "request abandoned after " + a.attempts + " attempt(s) to make room for newer ones"
                            : "no valid reply after " + a.attempts + " attempt(s)"));
        }
    }

    /** Returns a slot to the pool. Lock held. */
    private void release(RequestSlot s) {
        if (s.active) {
            index.remove(s.prefix, s.number);
            (s.kind == Kind.PLAIN ? plain : managed).remove(s);
        }
        if (s.timer != null) {
            s.timer.cancel(false);
        }
        if (s.kind == Kind.CALL) {
            calls--;
        }
        size--;
        pool.give(s);
        room.signal();
    }

    /** The next timeout of an explicit request, or null. */
    public TimedOut pollEvent() {
        lock.lock();
        try {
            return events.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Outstanding calls. */
    public int calls() {
        lock.lock();
        try {
            return calls;
        } finally {
            lock.unlock();
        }
    }

    /** Outstanding requests of every kind. */
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Gives up everything, failing calls with {@code cause}; no request can be added afterwards. */
    public void closeAll(IOException cause) {
        List<Abandoned> all = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (NodePool.Chain<RequestSlot> chain : List.of(plain, managed)) {
                while (chain.first() != null) {
                    all.add(new Abandoned(chain.first(), false));
                    release(chain.first());
                }
            }
            events.clear();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        for (Abandoned a : all) {
            finish(a, cause);
        }
    }
}
