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
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
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
    private final DatagramChannel channel;
    private final ClientSession session;
    private final SecureRandom random;
    private final RequestTable table;
    private final RetransmissionTimers timers;
    private final DatagramIo io;
    private final ReentrantLock txLock;
    private final ByteBuffer txBuffer;
    private final ChannelCounters counters;

    /**
     * @param channel the client channel (for its state)
     * @param txLock held while the send buffer {@code txBuffer} is used
     */
    public RequestSender(DatagramChannel channel, ClientSession session, SecureRandom random, RequestTable table,
            PssstRetryPolicy retry, LongSupplier clock, DatagramIo io, ReentrantLock txLock, ByteBuffer txBuffer,
            ChannelCounters counters) {
        this.channel = channel;
        this.session = session;
        this.random = random;
        this.table = table;
        this.timers = new RetransmissionTimers(table, retry, clock, this::resend);
        this.io = io;
        this.txLock = txLock;
        this.txBuffer = txBuffer;
        this.counters = counters;
    }

    /**
     * Begins the transaction of the request reserved as {@code generation} of {@code slot}:
     * draws the ephemeral key and runs X25519, outside the send lock, so other threads keep
     * sending meanwhile. On failure the slot is given back.
     *
     * @throws AsynchronousCloseException the channel closed meanwhile (the session's keys are wiped)
     */
    public ClientTransaction begin(RequestSlot slot, long generation) throws IOException {
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
    public boolean send(RequestSlot slot, long generation, ClientTransaction tx, ByteBuffer src, SocketAddress target,
            PssstRequestId id, CompletableFuture<ByteBuffer> future, long deadline) throws IOException {
        int start = src.position();
        boolean managed = slot.kind() != Kind.PLAIN;
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
            if (slot.kind() == Kind.CALL) {
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
            counters.add(Counter.SEND_FAILURES);
        } finally {
            txLock.unlock();
        }
    }
}
