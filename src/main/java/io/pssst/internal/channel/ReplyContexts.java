package io.pssst.internal.channel;

import io.pssst.internal.ServerTransaction;
import io.pssst.internal.channel.ChannelCounters.Counter;
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
 * "busy": neither dropped nor given to another thread. Pooled ({@link NodePool}): the
 * standard path allocates nothing here. One lock; no I/O under it.
 */
public final class ReplyContexts {

    /** One request's reply context; a handle is the context and its {@link #generation()}. */
    public static final class Ctx extends NodePool.Node<Ctx> {
        boolean busy;
        boolean explicit;
        ServerTransaction tx;
        SocketAddress sender;
        long receivedAt;
        int requestLength; // the request's datagram: the amplification bound's measure
        ByteBuffer sealed; // a reply sealed but not sent (zero-byte or failed send): resent as is

        Ctx(int number) {
            super(number);
        }

        /** The size of the request's datagram; read while the context is claimed. */
        public int requestLength() {
            return requestLength;
        }

        /** The use of this context a handle refers to. */
        public long generation() {
            return generation;
        }

        @Override
        void clear() {
            busy = false;
            tx = null;
            sender = null;
            sealed = null;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final int capacity;
    private final long ttlNanos;
    private final ChannelCounters counters;
    private final LongSupplier clock;
    private final NodePool<Ctx> pool = new NodePool<>(Ctx::new);
    private final NodePool.Chain<Ctx> contexts = new NodePool.Chain<>();
    private boolean closed;

    public ReplyContexts(int capacity, long ttlNanos, ChannelCounters counters, LongSupplier clock) {
        this.capacity = capacity;
        this.ttlNanos = ttlNanos;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * Keeps the context of a request just opened ({@code requestLength}: its datagram's size),
     * dropping expired ones and, when full, the oldest idle one. Returns null (and wipes
     * {@code tx}) if the channel closed or every context is busy.
     */
    public Ctx add(ServerTransaction tx, SocketAddress sender, int requestLength, boolean explicit) {
        List<ServerTransaction> dropped;
        Ctx c = null;
        lock.lock();
        try {
            long now = clock.getAsLong();
            dropped = expire(now, null);
            if (contexts.size() >= capacity) {
                Ctx victim = oldestIdle();
                if (victim != null) {
                    dropped = collect(dropped, victim.tx);
                    unlink(victim);
                    counters.add(Counter.CONTEXTS_EVICTED);
                }
            }
            if (closed || contexts.size() >= capacity) {
                dropped = collect(dropped, tx);
                if (!closed) {
                    counters.add(Counter.CONTEXTS_EVICTED);
                }
            } else {
                c = pool.take();
                c.tx = tx;
                c.sender = sender;
                c.requestLength = requestLength;
                c.explicit = explicit;
                c.receivedAt = now;
                contexts.addLast(c);
            }
        } finally {
            lock.unlock();
        }
        destroy(dropped);
        return c;
    }

    /** Takes (marks busy) the oldest idle context from {@code sender} of the standard path, or null. */
    public Ctx claimOldestFrom(SocketAddress sender) {
        List<ServerTransaction> dropped = null;
        lock.lock();
        try {
            dropped = expire(clock.getAsLong(), dropped);
            for (Ctx c = contexts.first(); c != null; c = c.next) {
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
    public boolean claim(Ctx c, long generation) {
        List<ServerTransaction> dropped = null;
        lock.lock();
        try {
            dropped = expire(clock.getAsLong(), dropped);
            if (!c.holds(generation) || c.busy) {
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
            if (closed) {
                pool.give(c); // closeAll took it out of the list and left it to its claimant
                return;
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
    public void abandon(Ctx c, long generation) {
        ServerTransaction tx = null;
        lock.lock();
        try {
            if (c.holds(generation) && !c.busy) {
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
    public void expireNow() {
        List<ServerTransaction> dropped;
        lock.lock();
        try {
            dropped = expire(clock.getAsLong(), null);
        } finally {
            lock.unlock();
        }
        destroy(dropped);
    }

    /** Contexts held right now. */
    public int size() {
        lock.lock();
        try {
            return contexts.size();
        } finally {
            lock.unlock();
        }
    }

    /** Contexts ever created: the pool's high-water mark (for tests). */
    public int created() {
        lock.lock();
        try {
            return pool.created();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops (and wipes) every context; none can be added afterwards. A claimed context leaves
     * the list but keeps its fields until its claimant {@linkplain #release releases} it: the
     * claimant reads them without the lock, and its seal either runs with the real keys or is
     * refused ({@link ServerTransaction#destroy()} never wipes under a seal in progress).
     */
    public void closeAll() {
        List<ServerTransaction> dropped = null;
        lock.lock();
        try {
            closed = true;
            while (contexts.first() != null) {
                Ctx c = contexts.first();
                dropped = collect(dropped, c.tx);
                if (c.busy) {
                    contexts.remove(c);
                } else {
                    unlink(c);
                }
            }
        } finally {
            lock.unlock();
        }
        destroy(dropped);
    }

    private List<ServerTransaction> expire(long now, List<ServerTransaction> dropped) {
        for (Ctx c = contexts.first(); c != null && now - c.receivedAt >= ttlNanos;) {
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
        for (Ctx c = contexts.first(); c != null; c = c.next) {
            if (!c.busy) {
                return c;
            }
        }
        return null;
    }

    private void unlink(Ctx c) {
        contexts.remove(c);
        pool.give(c);
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
