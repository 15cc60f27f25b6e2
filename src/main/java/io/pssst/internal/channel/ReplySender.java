package io.pssst.internal.channel;

import io.pssst.internal.ServerTransaction;
import io.pssst.internal.Wire;
import io.pssst.internal.channel.ChannelCounters.Counter;
import io.pssst.internal.channel.ReplyContexts.Ctx;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a server channel's replies go out: each is sealed once, with the transaction of its
 * claimed reply context, into the channel's send buffer and sent. A reply the socket had no
 * room for (non-blocking) is kept as sealed, so a retry resends the same datagram; a reply the
 * network stack refuses for its destination is counted and treated as lost on the way. A
 * reply larger than the amplification bound allows (k times its request's datagram) is not
 * sealed: its context is wiped and the caller told.
 */
public final class ReplySender {
    /** What {@link #send} returns for a reply over the amplification bound: not sent, its context wiped, counted. */
    public static final int REFUSED = -2;

    private final ReplyContexts contexts;
    private final DatagramIo io;
    private final ReentrantLock txLock;
    private final ByteBuffer txBuffer;
    private final ChannelCounters counters;
    private final int maxAmplification;

    /**
     * {@code txLock}: held while the send buffer {@code txBuffer} is used;
     * {@code maxAmplification}: the largest reply datagram is that many times its request's
     * (0: no bound).
     */
    public ReplySender(ReplyContexts contexts, DatagramIo io, ReentrantLock txLock, ByteBuffer txBuffer,
            ChannelCounters counters, int maxAmplification) {
        this.contexts = contexts;
        this.io = io;
        this.txLock = txLock;
        this.txBuffer = txBuffer;
        this.counters = counters;
        this.maxAmplification = maxAmplification;
    }

    /** The most bytes a reply datagram to a request of {@code requestLength} bytes may have; 0: no bound. */
    public long bound(int requestLength) {
        return (long) maxAmplification * requestLength;
    }

    /**
     * Seals (once) and sends the reply of a claimed context, and ends the claim. Returns the
     * message length, or -1 if the socket had no room; then the sealed datagram is kept for
     * the retry and {@code src} is left unconsumed. On an I/O error the same holds and the
     * error is thrown. A reply over the amplification bound returns {@link #REFUSED}: nothing
     * sealed or sent, {@code src} unconsumed, the context wiped and released.
     */
    public int send(Ctx c, ByteBuffer src, SocketAddress target) throws IOException {
        int start = src.position();
        int length = src.remaining();
        if (c.sealed == null && maxAmplification > 0 && Wire.replyLength(length) > bound(c.requestLength)) {
            ServerTransaction tx = c.tx;
            contexts.release(c, true, null);
            if (tx != null) {
                tx.destroy();
            }
            counters.add(Counter.REPLIES_REFUSED_AMPLIFICATION);
            return REFUSED;
        }
        boolean answered = false;
        boolean sealedNow = false;
        ByteBuffer out = null;
        txLock.lock();
        try {
            if (c.sealed != null) {
                out = c.sealed.rewind();
            } else {
                out = txBuffer.clear();
                try {
                    c.tx.sealReply(src, out);
                } catch (IllegalStateException e) {
                    if (!io.isOpen()) {
                        // close() wiped the claimed context between the claim and the seal
                        throw new AsynchronousCloseException();
                    }
                    throw e;
                }
                out.flip();
                sealedNow = true;
            }
            int n;
            try {
                n = io.send(out, target);
            } catch (ClosedChannelException e) {
                throw e; // the channel closed: the caller's business
            } catch (IOException e) {
                // The network stack refused this destination (unreachable, not permitted...):
                // the reply is lost like a datagram on the way; one peer's address never stops
                // the channel, nor a loop that sends on it.
                counters.failed(Counter.REPLY_SEND_FAILURES, ChannelLog.Failure.REPLY_SEND, e);
                answered = true;
                src.position(src.limit());
                return length;
            }
            if (n == 0) {
                src.position(start);
                return -1;
            }
            answered = true;
            src.position(src.limit());
            counters.add(Counter.REPLIES_SENT);
            return length;
        } catch (IOException | RuntimeException e) {
            src.position(start);
            throw e;
        } finally {
            ByteBuffer keep = null;
            if (!answered && sealedNow) {
                keep = ByteBuffer.allocate(out.limit()).put(out.rewind()).flip(); // rare: keep what was sealed
            }
            contexts.release(c, answered, keep != null ? keep : c.sealed);
            txLock.unlock();
        }
    }
}
