package io.pssst.internal.channel;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.channel.PssstRequestId;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.internal.ClientSession;
import io.pssst.internal.ClientTransaction;
import io.pssst.internal.Wire;
import io.pssst.internal.channel.ChannelCounters.Counter;
import io.pssst.internal.channel.RequestTable.Kind;
import io.pssst.internal.channel.RequestSlot;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * How a client channel's requests go out: a fresh transaction per request (its X25519 outside
 * every lock), sealed into the channel's send buffer, made findable in the {@link RequestTable}
 * before it is sent, and — for a managed request — kept for its {@link RetransmissionTimers}.
 * A call's first copy, and every retransmission, is sent by the timer thread, never by the
 * caller's: interrupting a thread during the channel's I/O closes the channel, as with the
 * JDK's, and a call promises that an interrupt only abandons the call.
 */
public final class RequestSender {
    private static final long CALL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final DatagramChannel channel;
    private final ClientSession session;
    private final SecureRandom random;
    private final RequestTable table;
    private final PssstRetryPolicy retry;
    private final LongSupplier clock;
    private final RetransmissionTimers timers;
    private final DatagramIo io;
    private final ReentrantLock txLock;
    private final ByteBuffer txBuffer;
    private final ChannelCounters counters;
    private final Function<byte[], PssstRequestId> ids;
    private final RequestTable.TimeoutFactory timeouts;

    /**
     * @param channel the client channel (for its state)
     * @param txLock held while the send buffer {@code txBuffer} is used
     * @param ids makes a request's id from its dh_param; {@code timeouts} the exception a call
     *        fails with (both the channel package's own types)
     */
    public RequestSender(DatagramChannel channel, ClientSession session, SecureRandom random, RequestTable table,
            PssstRetryPolicy retry, LongSupplier clock, DatagramIo io, ReentrantLock txLock, ByteBuffer txBuffer,
            ChannelCounters counters, Function<byte[], PssstRequestId> ids, RequestTable.TimeoutFactory timeouts) {
        this.channel = channel;
        this.session = session;
        this.random = random;
        this.table = table;
        this.retry = retry;
        this.clock = clock;
        this.timers = new RetransmissionTimers(table, retry, clock, this::resend);
        this.io = io;
        this.txLock = txLock;
        this.txBuffer = txBuffer;
        this.counters = counters;
        this.ids = ids;
        this.timeouts = timeouts;
    }

    /**
     * A plain request ({@code send}): sealed and sent once; it waits for its reply for the
     * retry policy's total timeout, then expires. When every slot is taken, the oldest
     * request is evicted.
     *
     * @return the message bytes sent; 0 in non-blocking mode when the socket or the table had
     *         no room (nothing consumed, nothing outstanding)
     */
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        RequestSlot slot = table.reserve(Kind.PLAIN, true, roomDeadline());
        if (slot == null) {
            return 0; // non-blocking, and every slot is held by a request being sealed: like a full socket
        }
        int length = src.remaining();
        long generation = slot.generation();
        ClientTransaction tx = begin(slot, generation);
        return send(slot, generation, tx, src, target, null, null, totalDeadline()) ? length : 0;
    }

    /**
     * An explicit request ({@code sendRequest}): sealed, sent, and retransmitted by its timer
     * until a reply comes or it times out (an event for {@code receiveReply}).
     *
     * @return its id; null in non-blocking mode when the socket or the table had no room
     */
    public PssstRequestId sendRequest(ByteBuffer src, SocketAddress target) throws IOException {
        RequestSlot slot = table.reserve(Kind.EXPLICIT, true, roomDeadline());
        if (slot == null) {
            return null; // non-blocking, no room right now
        }
        long generation = slot.generation();
        ClientTransaction tx = begin(slot, generation);
        PssstRequestId id = ids.apply(tx.requestId());
        return send(slot, generation, tx, src, target, id, null, totalDeadline()) ? id : null;
    }

    /**
     * A call: sealed here, sent by the timer thread, retransmitted until {@code deadline}; the
     * future completes with the reply or fails with a timeout. Cancelling it abandons the
     * request.
     *
     * @param wait a blocking {@code call}: wait for room until the deadline instead of evicting
     */
    public CompletableFuture<ByteBuffer> call(ByteBuffer request, SocketAddress target, long deadline, boolean wait)
            throws IOException {
        RequestSlot slot = table.reserve(Kind.CALL, !wait, wait ? deadline : roomDeadline());
        if (slot == null) {
            return CompletableFuture.failedFuture(timeouts.timeout(null, 0, false,
                    "no room for another request right now: every one of the channel's maxOutstandingRequests"
                    + " slots is held by a request being sealed"));
        }
        long generation = slot.generation();
        ClientTransaction tx = begin(slot, generation);
        CompletableFuture<ByteBuffer> f = new CompletableFuture<>();
        send(slot, generation, tx, request, target, ids.apply(tx.requestId()), f, deadline);
        f.whenComplete((r, e) -> {
            if (f.isCancelled()) {
                table.cancel(slot, generation);
            }
        });
        return f;
    }

    /**
     * Waits for a blocking call's reply: the call's own deadline, plus a grace period for the
     * timer thread to report it. The calling thread only parks; an interrupt abandons the
     * call and leaves the channel open.
     *
     * @param timeout the call's timeout as the caller gave it, for the message
     * @return the reply message
     * @throws InterruptedIOException the thread was interrupted (its flag is set again)
     */
    public ByteBuffer await(CompletableFuture<ByteBuffer> f, long timeoutNanos, Duration timeout) throws IOException {
        try {
            return f.get(timeoutNanos + CALL_GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a PSSST reply");
        } catch (TimeoutException e) {
            f.cancel(false);
            throw timeouts.timeout(null, 0, false, "no valid reply within " + timeout);
        }
    }

    /** When a request without a deadline of its own gives up: the retry policy's total timeout from now. */
    private long totalDeadline() {
        return clock.getAsLong() + retry.totalTimeout().toNanos(); // at most about 73 years: no overflow
    }

    /**
     * How long a send that may evict waits when every slot is held by a request still being
     * sealed (so none can be evicted): in blocking mode up to the retry policy's total timeout
     * (in practice until one of those requests is sent); in non-blocking mode not at all.
     */
    private long roomDeadline() {
        return channel.isBlocking() ? totalDeadline() : RequestTable.NO_WAIT;
    }

    /**
     * Begins the transaction of the request reserved as {@code generation} of {@code slot}:
     * draws the ephemeral key and runs X25519, outside the send lock, so other threads keep
     * sending meanwhile. On failure the slot is given back.
     *
     * @throws AsynchronousCloseException the channel closed meanwhile (the session's keys are wiped)
     */
    private ClientTransaction begin(RequestSlot slot, long generation) throws IOException {
        try {
            return session.begin(random);
        } catch (InvalidKeyMaterialException | RuntimeException e) {
            table.cancel(slot, generation);
            if (session.closed()) {
                throw new AsynchronousCloseException();
            }
            throw new IOException("the X25519 provider refused a fresh ephemeral key", e);
        }
    }

    /**
     * Seals {@code src} as the request of {@code tx} and sends it: a plain or explicit request
     * here, a call's by the timer thread. A request that fails to go out is undone: its slot
     * given back, its keys wiped, {@code src} unconsumed.
     *
     * @param id the request's id, for a managed request (null for a plain one)
     * @param future a call's future (null otherwise)
     * @return true if sent (or, for a call, handed to the timer thread); false if a
     *         non-blocking socket had no room (nothing consumed, nothing outstanding)
     */
    private boolean send(RequestSlot slot, long generation, ClientTransaction tx, ByteBuffer src, SocketAddress target,
            PssstRequestId id, CompletableFuture<ByteBuffer> future, long deadline) throws IOException {
        int start = src.position();
        Kind kind = slot.kind(); // read before activation: the slot is this thread's until then
        boolean managed = kind != Kind.PLAIN;
        txLock.lock();
        try {
            ByteBuffer out = txBuffer.clear();
            tx.sealRequest(src, out);
            out.flip();
            ByteBuffer copy = managed ? ByteBuffer.allocate(out.remaining()).put(out.duplicate()).flip() : null;
            long prefix = out.getLong(Wire.HEADER_LENGTH);
            if (!table.activate(slot, tx, prefix, target, copy, future, id, deadline)) {
                throw new AsynchronousCloseException(); // closed meanwhile; activate released the slot
            }
            if (managed) {
                timers.start(slot, generation, deadline);
            }
            if (kind == Kind.CALL) {
                Timers.execute(() -> sendCall(slot, generation, copy, target));
            } else if (io.send(out, target) == 0) {
                table.cancel(slot, generation);
                src.position(start);
                return false;
            }
            counters.add(Counter.REQUESTS_SENT);
            return true;
        } catch (IOException | RuntimeException e) {
            table.cancel(slot, generation);
            tx.destroy();
            src.position(start);
            throw e;
        } finally {
            txLock.unlock();
        }
    }

    /**
     * Timer thread: the first copy of a call's request. An I/O error fails the call with it;
     * a socket with no room counts a send failure and leaves the datagram to the retransmissions.
     */
    private void sendCall(RequestSlot slot, long generation, ByteBuffer datagram, SocketAddress target) {
        txLock.lock();
        try {
            if (!channel.isOpen() || !table.isOutstanding(slot, generation)) {
                return; // closed (the call has failed) or already given up
            }
            if (io.send(datagram.rewind(), target) == 0) {
                counters.add(Counter.SEND_FAILURES);
            }
        } catch (IOException | RuntimeException e) {
            table.fail(slot, generation, e);
        } finally {
            txLock.unlock();
        }
    }

    /** Timer thread: resends a managed request's datagram. */
    private void resend(ByteBuffer datagram, SocketAddress target) {
        txLock.lock();
        try {
            if (!channel.isOpen()) {
                return;
            }
            int n = io.send(datagram.rewind(), target);
            counters.add(n > 0 ? Counter.RETRANSMISSIONS : Counter.SEND_FAILURES);
        } catch (IOException | RuntimeException e) {
            counters.failed(Counter.SEND_FAILURES, ChannelLog.Failure.REQUEST_SEND, e);
        } finally {
            txLock.unlock();
        }
    }
}
