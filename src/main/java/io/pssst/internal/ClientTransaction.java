package io.pssst.internal;

import io.pssst.PssstException;
import io.pssst.ReplyMismatchException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request as the client sees it: sealed once, then answered by at most one reply.
 * Thread-safe: any thread may seal, test or open, and a reply is accepted at most once even
 * when several threads race to open copies of it. Opening attempts are serialised per
 * request, so a forged copy being refused never shuts out the genuine reply arriving at the
 * same moment. {@link #destroy()} from any thread either comes first (the next step is
 * refused) or lets the step under way finish with the real keys (see {@link Wipeable}).
 */
public final class ClientTransaction {
    private static final int FRESH = 0;
    private static final int SENT = 1;
    private static final int OPENING = 2;
    private static final int ANSWERED = 3;
    private static final int DESTROYED = 4;
    private static final String ABANDONED = "this request was abandoned; its reply context is gone";

    private final int flags;
    private final byte[] dhParam;
    private final TransactionKeys keys; // with the client proof C || e of an authenticated request
    private final byte[] header;
    private final AtomicInteger state = new AtomicInteger(FRESH);
    private final Object openLock = new Object();

    ClientTransaction(int flags, byte[] dhParam, TransactionKeys keys) {
        this.flags = flags;
        this.dhParam = dhParam;
        this.keys = keys;
        this.header = Wire.header(flags);
    }

    /** The request's flags (CLIENT_AUTH or 0). */
    public int flags() {
        return flags;
    }

    /** The request id: its 32-byte dh_param, which the reply repeats. */
    public byte[] requestId() {
        return dhParam.clone();
    }

    /** Whether the request has been sealed and not abandoned (it may since have been answered). */
    public boolean sealed() {
        int s = state.get();
        return s == SENT || s == OPENING || s == ANSWERED;
    }

    /** Length of the request datagram for a message of {@code messageLength} bytes. */
    public int requestLength(int messageLength) {
        return Wire.OVERHEAD + keys.proofLength() + messageLength;
    }

    /**
     * Seals the request: writes the datagram at {@code out}'s position and advances it;
     * consumes {@code message}. Allowed once: the request nonce must never seal two messages.
     *
     * @throws IllegalStateException if this request was already sealed
     * @throws java.nio.BufferOverflowException if {@code out} is too small (nothing consumed)
     */
    public void sealRequest(ByteBuffer message, ByteBuffer out) {
        Bytes.checkWritable(out, requestLength(message.remaining()));
        if (!state.compareAndSet(FRESH, SENT)) {
            throw new IllegalStateException("this PSSST request was already sealed; begin a new transaction");
        }
        int start = out.position();
        Wire.putHeader(out, flags);
        out.put(dhParam);
        if (!keys.seal(false, header, message, out)) {
            out.position(start);
            throw new IllegalStateException("this PSSST request was abandoned (destroyed) before it was sealed");
        }
    }

    /**
     * Whether {@code reply} claims to answer this request: long enough, REPLY set, same
     * suite, CLIENT_AUTH flag and request id. No cryptography; does not move the buffer.
     */
    public boolean answeredBy(ByteBuffer reply) {
        if (reply.remaining() < Wire.OVERHEAD) {
            return false;
        }
        int p = reply.position();
        return Wire.flags(reply) == (Wire.FLAG_REPLY | flags) && Wire.suite(reply) == Wire.SUITE_X25519_AESGCM128
                && Bytes.equalsAt(reply, p + Wire.HEADER_LENGTH, dhParam);
    }

    /**
     * Opens the reply into {@code dst}: the message is written at {@code dst}'s position,
     * which advances by its length; {@code reply} is consumed. A reply is accepted once; a
     * failed attempt (tampered copy) leaves the request open for the genuine one.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has less room than
     *         {@code reply.remaining() - 52} (nothing consumed)
     */
    public void openReply(ByteBuffer reply, ByteBuffer dst) throws PssstException {
        checkReply(reply);
        Bytes.checkWritable(dst, reply.remaining() - Wire.OVERHEAD);
        open(reply, dst);
    }

    /**
     * Opens the reply in place: on return {@code reply}'s position and limit frame the message
     * inside the same buffer.
     */
    public void openReplyInPlace(ByteBuffer reply) throws PssstException {
        checkReply(reply);
        if (reply.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        int start = reply.position() + Wire.PREFIX_LENGTH;
        ByteBuffer dst = reply.duplicate().position(start);
        open(reply, dst);
        reply.limit(dst.position()).position(start);
    }

    private void checkReply(ByteBuffer reply) throws PssstException {
        int replyFlags = Wire.checkReplyHeader(reply);
        if ((replyFlags & Wire.FLAG_CLIENT_AUTH) != (flags & Wire.FLAG_CLIENT_AUTH)) {
            throw new ReplyMismatchException("the reply's CLIENT_AUTH flag differs from the request's");
        }
        int suite = Wire.suite(reply);
        if (suite != Wire.SUITE_X25519_AESGCM128) {
            throw new ReplyMismatchException("the reply names cipher suite " + suite + ", the request suite 1");
        }
        if (!Bytes.equalsAt(reply, reply.position() + Wire.HEADER_LENGTH, dhParam)) {
            throw new ReplyMismatchException("the reply's request id (dh_param) is not this request's");
        }
    }

    private void open(ByteBuffer reply, ByteBuffer dst) throws PssstException {
        // Serialised per request: a lock-free "OPENING" state would make a genuine reply that
        // arrives while a forged copy is being refused look already answered, and be dropped.
        synchronized (openLock) {
            int s = state.get();
            if (s == FRESH) {
                throw new IllegalStateException("this PSSST request has not been sealed yet");
            }
            if (s != SENT || !state.compareAndSet(SENT, OPENING)) {
                throw new ReplyMismatchException(state.get() == DESTROYED ? ABANDONED
                        : "this request has already been answered: reply contexts are single-use");
            }
            boolean opened;
            try {
                opened = keys.openDatagram(true, reply, dst);
            } catch (PssstException | RuntimeException e) {
                state.compareAndSet(OPENING, SENT);
                throw e;
            }
            if (!opened) {
                throw new ReplyMismatchException(ABANDONED);
            }
            state.compareAndSet(OPENING, ANSWERED);
            keys.destroy();
        }
    }

    /** Whether a reply has been accepted. */
    public boolean answered() {
        return state.get() == ANSWERED;
    }

    /**
     * Abandons the request (timeout): wipes its keys and proof, at once or, if another thread
     * is sealing the request or opening a reply right now, as soon as it is done; a late
     * reply is refused.
     */
    public void destroy() {
        state.set(DESTROYED);
        keys.destroy();
    }

    @Override
    public String toString() {
        return "ClientTransaction[id=" + Bytes.hexPrefix(dhParam) + ", "
                + ((flags & Wire.FLAG_CLIENT_AUTH) != 0 ? "authenticated" : "anonymous") + "]";
    }
}
