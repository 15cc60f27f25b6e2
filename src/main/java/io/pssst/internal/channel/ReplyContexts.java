package io.pssst.channel;

import io.pssst.channel.ChannelCounters.Counter;
import io.pssst.internal.ServerTransaction;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A server channel's reply contexts: the only state it keeps, each from receiving a request
 * until its reply is sent. At most {@code capacity} at once (the oldest is dropped to admit a
 * new one) and none older than {@code ttl} (dropped at the channel's next operation); every
 * drop is counted and wipes the context's keys.
 *
 * <p>Contexts sit in one list, oldest first. {@code send(reply, sender)} takes the oldest
 * unanswered context from that sender (a scan: in a receive-process-send loop it is at the
 * head); an explicit handle names its context directly. A context being sealed or sent is
 * "busy": neither dropped nor given to another thread. Pooled: the standard path allocates
 * nothing here. One lock; no I/O under it.
 */
final class ReplyContexts {

    static final class Ctx {
        long generation;
        boolean inUse;
        boolean busy;
        boolean explicit;
        ServerTransaction tx;
        SocketAddress sender;
        long receivedAt;
        ByteBuffer sealed; // a reply sealed but not sent (zero-byte or failed send): resent as is
        Ctx prev;
        Ctx next;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final int capacity;
    private final long ttlNanos;
    private final ChannelCounters counters;
    private final LongSupplier clock;
    private Ctx head;
    private Ctx tail;
    private Ctx pool;
    private int size;
    private int created;
    private boolean closed;

    ReplyContexts(int capacity, long ttlNanos, ChannelCounters counters, LongSupplier clock) {
        this.capacity = capacity;
        this.ttlNanos = ttlNanos;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * Keeps the context of a request just opened, dropping expired ones and, when full, the
     * oldest idle one. Returns null (and wipes {@code tx}) if the channel closed or every
     * context is busy.
     */
    Ctx add(ServerTransaction tx, SocketAddress sender, boolean explicit) {
        List<ServerTransaction> dropped = null;
        Ctx c;
        lock.lock();
        try {
            long now = clock.getAsLong();
            dropped = expire(now, dropped);
            if (size >= capacity) {
                Ctx victim = oldestIdle();
                if (victim != null) {
                    dropped = collect(dropped, victim.tx);
                    unlink(victim);
                    counters.add(Counter.CONTEXTS_EVICTED);
                }
            }
            if (closed || size >= capacity) {
                dropped = collect(dropped, tx);
                if (!closed) {
                    counters.add(Counter.CONTEXTS_EVICTED);
                }
                c = null;
            } else {
                c = pool;
                if (c != null) {
                    pool = c.next;
                } else {
                    c = new Ctx();
                    created++;
                }
                c.inUse = true;
                c.tx = tx;
                c.sender = sender;
                c.explicit = explicit;
                c.receivedAt = now;
                c.prev = tail;
                c.next = null;
                if (tail == null) {
                    head = c;
                } else {
                    tail.next = c;
                }
                tail = c;
                size++;
            }
        } finally {
            lock.unlock();
        }
        destroy(dropped);
        return c;
    }

    /** Takes (marks busy) the oldest idle context from {@code sender} of the standard path, or null. */
    Ctx claimOldestFrom(SocketAddress sender) {
        List<ServerTransaction> dropped = null;
        lock.lock();
        try {
            dropped = expire(clock.getAsLong(), dropped);
            for (Ctx c = head; c != null; c = c.next) {
                if (!c.explicit && !c.busy && sender.equals(c.sender)) {
                    c.busy = true;
                    return c;
                }
            }
            return null;
        } finally {
            lock.unlock();
            destroy(dropped);
        }
    }

    /** Takes (marks busy) the context of a handle, if it is still the same request and idle. */
    boolean claim(Ctx c, long generation) {
        List<ServerTransaction> dropped = null;
        lock.lock();
        try {
            dropped = expire(clock.getAsLong(), dropped);
            if (!c.inUse || c.generation != generation || c.busy) {
                return false;
            }
            c.busy = true;
            return true;
        } finally {
            lock.unlock();
            destroy(dropped);
        }
    }

    /**
     * Ends a claim: {@code answered} returns the context to the pool; otherwise it becomes
     * idle again, keeping {@code sealed} (the reply as sealed) for a retry.
     */
    void release(Ctx c, boolean answered, ByteBuffer sealed) {
        lock.lock();
        try {
            c.busy = false;
            if (!c.inUse) {
                return; // closed meanwhile
            }
            if (answered) {
                unlink(c);
            } else {
                c.sealed = sealed;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops a handle's context unanswered (no counter: the application chose to). */
    void abandon(Ctx c, long generation) {
        ServerTransaction tx = null;
        lock.lock();
        try {
            if (c.inUse && c.generation == generation && !c.busy) {
                tx = c.tx;
                unlink(c);
            }
        } finally {
            lock.unlock();
        }
        if (tx != null) {
            tx.destroy();
        }
    }

    /** Drops expired contexts now (also done by every other operation). */
    void expireNow() {
        List<ServerTransaction> dropped;
        lock.lock();
        try {
            dropped = expire(clock.getAsLong(), null);
        } finally {
            lock.unlock();
        }
        destroy(dropped);
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Contexts ever created: the pool's high-water mark (for tests). */
    int created() {
        lock.lock();
        try {
            return created;
        } finally {
            lock.unlock();
        }
    }

    void closeAll() {
        List<ServerTransaction> dropped = null;
        lock.lock();
        try {
            closed = true;
            while (head != null) {
                dropped = collect(dropped, head.tx);
                unlink(head);
            }
        } finally {
            lock.unlock();
        }
        destroy(dropped);
    }

    private List<ServerTransaction> expire(long now, List<ServerTransaction> dropped) {
        for (Ctx c = head; c != null && now - c.receivedAt >= ttlNanos;) {
            Ctx next = c.next;
            if (!c.busy) {
                dropped = collect(dropped, c.tx);
                unlink(c);
                counters.add(Counter.CONTEXTS_EXPIRED);
            }
            c = next;
        }
        return dropped;
    }

    private Ctx oldestIdle() {
        for (Ctx c = head; c != null; c = c.next) {
            if (!c.busy) {
                return c;
            }
        }
        return null;
    }

    private void unlink(Ctx c) {
        if (c.prev == null) {
            head = c.next;
        } else {
            c.prev.next = c.next;
        }
        if (c.next == null) {
            tail = c.prev;
        } else {
            c.next.prev = c.prev;
        }
        size--;
        c.generation++;
        c.inUse = false;
        c.tx = null;
        c.sender = null;
        c.sealed = null;
        c.prev = null;
        c.next = pool;
        pool = c;
    }

    private static List<ServerTransaction> collect(List<ServerTransaction> list, ServerTransaction tx) {
        List<ServerTransaction> l = list == null ? new ArrayList<>(2) : list;
        l.add(tx);
        return l;
    }

    private static void destroy(List<ServerTransaction> dropped) {
        if (dropped != null) {
            for (ServerTransaction tx : dropped) {
                tx.destroy();
            }
        }
    }
}
