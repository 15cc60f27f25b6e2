package io.pssst.channel;

import io.pssst.channel.ChannelCounters.Counter;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.internal.ClientTransaction;
import io.pssst.internal.Wire;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A client channel's outstanding requests: at most {@code capacity}, each with its engine
 * transaction, found by request id when a reply comes. Requests of {@code call},
 * {@code callAsync} and {@code sendRequest} ("managed") keep a copy of their datagram and a
 * timer that retransmits it and finally times them out; plain {@code send}s only expire.
 *
 * <p>Slots are pooled and indexed by the first 8 bytes of the request id, so the plain
 * send/receive path allocates nothing here. A short ring of recently finished ids tells a
 * duplicate or late reply from an unmatched one. One lock guards everything; no I/O happens
 * under it, and futures are completed after it is released.
 */
final class OutstandingRequests {
    static final int PLAIN = 0;
    static final int EXPLICIT = 1;
    static final int CALL = 2;

    private static final int RECENT = 256;
    private static final byte ANSWERED = 1;
    private static final byte ABANDONED = 2;
    private static final int HANDOFF_LIMIT = 64;

    /** Sends a retransmission; called on the timer thread, outside the lock. */
    interface Retransmitter {
        void retransmit(ByteBuffer datagram, SocketAddress target);
    }

    static final class Slot {
        final int number;
        long generation;
        boolean inUse;
        boolean active; // indexed and in a list (between reserve and activate it is neither)
        int kind;
        ClientTransaction tx;
        long prefix;
        SocketAddress target;
        ByteBuffer datagram;
        int attempts;
        long deadline;
        CompletableFuture<ByteBuffer> future;
        PssstRequestId id;
        ScheduledFuture<?> timer;
        Slot prev;
        Slot next;

        Slot(int number) {
            this.number = number;
        }
    }

    /** What a receiver learned about a reply's request: filled under the lock, used after it. */
    static final class Match {
        Slot slot;
        long generation;
        ClientTransaction tx;
        int kind;
        CompletableFuture<ByteBuffer> future;
        PssstRequestId id;
    }

    /** A reply the call pump read for a plain or explicit request: for the next receive. */
    static final class Handoff {
        final byte[] datagram;
        final SocketAddress sender;

        Handoff(byte[] datagram, SocketAddress sender) {
            this.datagram = datagram;
            this.sender = sender;
        }
    }

    /** A request given up, captured before its slot is reused. */
    private static final class Abandoned {
        final int kind;
        final ClientTransaction tx;
        final CompletableFuture<ByteBuffer> future;
        final PssstRequestId id;
        final int attempts;
        final boolean evicted;

        Abandoned(Slot s, boolean evicted) {
            this.kind = s.kind;
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
    private final Slot[] slots;
    private final int[] free;
    private int freeCount;
    private int created;
    private final LongIndex index;
    private Slot plainHead;
    private Slot plainTail;
    private Slot managedHead;
    private Slot managedTail;
    private int size;
    private int calls;
    private int explicits;
    private final long[] recentKeys = new long[RECENT];
    private final byte[] recentKinds = new byte[RECENT];
    private int recentNext;
    private final ArrayDeque<PssstReply> events = new ArrayDeque<>();
    private final ArrayDeque<Handoff> handoffs = new ArrayDeque<>();
    private boolean closed;

    private final PssstRetryPolicy policy;
    private final ChannelCounters counters;
    private final LongSupplier clock;
    private final Retransmitter retransmitter;

    OutstandingRequests(int capacity, PssstRetryPolicy policy, ChannelCounters counters, LongSupplier clock,
            Retransmitter retransmitter) {
        this.capacity = capacity;
        this.slots = new Slot[capacity];
        this.free = new int[capacity];
        this.index = new LongIndex(capacity);
        this.policy = policy;
        this.counters = counters;
        this.clock = clock;
        this.retransmitter = retransmitter;
    }

    /** For {@link #reserve}: do not wait at all. */
    static final long NO_WAIT = Long.MIN_VALUE;

    /**
     * Takes a slot for a new request. When all are taken and {@code evict} is true, the
     * oldest request (plain ones first) is abandoned and counted as evicted. When no slot can
     * be had that way (a blocking call never evicts; or every slot is held by a request still
     * being sealed, which cannot be evicted), waits for room until {@code waitDeadline} — or,
     * with {@link #NO_WAIT}, returns null at once: a non-blocking caller never waits here.
     *
     * @return the slot, or null (only with {@link #NO_WAIT})
     * @throws PssstTimeoutException no room by {@code waitDeadline}
     */
    Slot reserve(int kind, boolean evict, long waitDeadline) throws IOException {
        Abandoned victim = null;
        Slot s;
        lock.lock();
        try {
            while (size == capacity && !closed) {
                if (evict) {
                    Slot oldest = plainHead != null ? plainHead : managedHead;
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
                    throw new PssstTimeoutException(null, 0, false, "no room for another request: "
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
            s = freeCount > 0 ? slots[free[--freeCount]] : (slots[created] = new Slot(created++));
            s.inUse = true;
            s.kind = kind;
            size++;
            if (kind == CALL) {
                calls++;
            } else if (kind == EXPLICIT) {
                explicits++;
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
     * Makes a reserved slot findable by its reply, before the request is sent; a managed one
     * gets its timer. Returns false if the channel closed meanwhile (the slot is released).
     */
    boolean activate(Slot s, ClientTransaction tx, long prefix, SocketAddress target, ByteBuffer datagram,
            CompletableFuture<ByteBuffer> future, PssstRequestId id, long deadline) {
        lock.lock();
        try {
            if (closed) {
                release(s);
                return false;
            }
            long now = clock.getAsLong();
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
            if (s.kind == PLAIN) {
                s.prev = plainTail;
                if (plainTail == null) {
                    plainHead = s;
                } else {
                    plainTail.next = s;
                }
                plainTail = s;
            } else {
                s.prev = managedTail;
                if (managedTail == null) {
                    managedHead = s;
                } else {
                    managedTail.next = s;
                }
                managedTail = s;
                schedule(s, Math.min(policy.timeoutOfAttemptNanos(1), deadline - now));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Undoes reserve/activate after a failed or zero-byte send: no counters, no events. */
    void cancel(Slot s, long generation) {
        lock.lock();
        try {
            if (s.inUse && s.generation == generation) {
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
    boolean isOutstanding(Slot s, long generation) {
        lock.lock();
        try {
            return s.inUse && s.generation == generation;
        } finally {
            lock.unlock();
        }
    }

    /** Gives up a call whose request could not be sent: its future fails with {@code cause}; no counters. */
    void fail(Slot s, long generation, Throwable cause) {
        Abandoned failed = null;
        lock.lock();
        try {
            if (s.inUse && s.generation == generation) {
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
    boolean find(ByteBuffer reply, Match m) {
        long prefix = reply.getLong(reply.position() + Wire.HEADER_LENGTH);
        lock.lock();
        try {
            for (int c = index.first(prefix); c >= 0; c = index.next(prefix, c)) {
                Slot s = slots[index.valueAt(c)];
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
            for (int i = 0; i < RECENT; i++) {
                if (recentKinds[i] != 0 && recentKeys[i] == prefix) {
                    return recentKinds[i] == ANSWERED ? DropReason.DUPLICATE_REPLY : DropReason.LATE_REPLY;
                }
            }
            return DropReason.UNMATCHED_REPLY;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the matched request answered (its reply was opened); false if it was given up meanwhile. */
    boolean complete(Match m) {
        lock.lock();
        try {
            if (!m.slot.inUse || m.slot.generation != m.generation) {
                return false;
            }
            remember(m.slot.prefix, ANSWERED);
            release(m.slot);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops plain requests older than the retry policy's total timeout. */
    void expirePlain(long now) {
        List<Abandoned> expired = null;
        lock.lock();
        try {
            while (plainHead != null && now - plainHead.deadline >= 0) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(abandon(plainHead, false));
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

    private void onTimer(Slot s, long generation) {
        ByteBuffer datagram = null;
        SocketAddress target = null;
        Abandoned timedOut = null;
        lock.lock();
        try {
            if (!s.inUse || s.generation != generation || !s.active) {
                return;
            }
            long now = clock.getAsLong();
            if (now - s.deadline >= 0) {
                timedOut = abandon(s, false);
                counters.add(Counter.REQUESTS_TIMED_OUT);
            } else if (s.attempts < policy.maxAttempts()) {
                s.attempts++;
                datagram = s.datagram;
                target = s.target;
                schedule(s, Math.min(policy.timeoutOfAttemptNanos(s.attempts), s.deadline - now));
            } else {
                schedule(s, s.deadline - now);
            }
        } finally {
            lock.unlock();
        }
        if (timedOut != null) {
            finish(timedOut, null);
        }
        if (datagram != null) {
            retransmitter.retransmit(datagram, target);
        }
    }

    private void schedule(Slot s, long delayNanos) {
        long generation = s.generation;
        s.timer = Timers.schedule(() -> onTimer(s, generation), delayNanos);
    }

    /** Gives up a request: captured, then its slot released. Lock held. */
    private Abandoned abandon(Slot s, boolean evicted) {
        Abandoned a = new Abandoned(s, evicted);
        remember(s.prefix, ABANDONED);
        if (s.kind == EXPLICIT) {
            if (events.size() >= 2 * capacity) {
                events.pollFirst();
            }
            events.addLast(PssstReply.timeout(s.id, s.attempts, evicted));
        }
        release(s);
        return a;
    }

    /** Wipes a given-up request's keys and fails its future (with {@code cause}, else a timeout), outside the lock. */
    private static void finish(Abandoned a, Throwable cause) {
        a.tx.destroy();
        if (a.future != null) {
            a.future.completeExceptionally(cause != null ? cause
                    : new PssstTimeoutException(a.id, a.attempts, a.evicted, a.evicted
                            ? "request abandoned after " + a.attempts + " attempt(s) to make room for newer ones"
                            : "no valid reply after " + a.attempts + " attempt(s)"));
        }
    }

    private void remember(long prefix, byte kind) {
        recentKeys[recentNext] = prefix;
        recentKinds[recentNext] = kind;
        recentNext = (recentNext + 1) % RECENT;
    }

    /** Returns a slot to the pool. Lock held. */
    private void release(Slot s) {
        if (s.active) {
            index.remove(s.prefix, s.number);
            if (s.prev == null) {
                if (s.kind == PLAIN) {
                    plainHead = s.next;
                } else {
                    managedHead = s.next;
                }
            } else {
                s.prev.next = s.next;
            }
            if (s.next == null) {
                if (s.kind == PLAIN) {
                    plainTail = s.prev;
                } else {
                    managedTail = s.prev;
                }
            } else {
                s.next.prev = s.prev;
            }
        }
        if (s.timer != null) {
            s.timer.cancel(false);
        }
        if (s.kind == CALL) {
            calls--;
        } else if (s.kind == EXPLICIT) {
            explicits--;
        }
        size--;
        s.generation++;
        s.inUse = false;
        s.active = false;
        s.tx = null;
        s.target = null;
        s.datagram = null;
        s.future = null;
        s.id = null;
        s.timer = null;
        s.prev = null;
        s.next = null;
        free[freeCount++] = s.number;
        room.signal();
    }

    /** The next timeout event of an explicit request, or null. */
    PssstReply pollEvent() {
        lock.lock();
        try {
            return events.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a reply the pump read for a plain/explicit request; false (counted) if the queue is full. */
    boolean offerHandoff(Handoff h) {
        lock.lock();
        try {
            if (handoffs.size() >= HANDOFF_LIMIT) {
                return false;
            }
            handoffs.addLast(h);
            return true;
        } finally {
            lock.unlock();
        }
    }

    Handoff pollHandoff() {
        lock.lock();
        try {
            return handoffs.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    int calls() {
        lock.lock();
        try {
            return calls;
        } finally {
            lock.unlock();
        }
    }

    int explicits() {
        lock.lock();
        try {
            return explicits;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Gives up everything, failing calls with {@code cause}; no request can be added afterwards. */
    void closeAll(IOException cause) {
        List<Abandoned> all = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            while (plainHead != null) {
                all.add(new Abandoned(plainHead, false));
                release(plainHead);
            }
            while (managedHead != null) {
                all.add(new Abandoned(managedHead, false));
                release(managedHead);
            }
            events.clear();
            handoffs.clear();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        for (Abandoned a : all) {
            finish(a, cause);
        }
    }
}
