package io.pssst.channel;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.internal.X25519;
import io.pssst.internal.channel.ReplyContexts;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.interfaces.XECPublicKey;
import java.util.Optional;

/**
 * A request received by {@link PssstServerChannel#receiveRequest}: who sent it, which client
 * key it proved (if any), and its single-use reply context. {@link #reply} may be called from
 * any thread, in any order relative to other requests' replies, once.
 *
 * <p>The context counts against the channel's bounds until it is answered: if it grows older
 * than the reply-context timeout, or is the oldest when the bound is exceeded, it is dropped
 * (and counted) and {@code reply} throws {@link PssstNoPendingRequestException}.
 */
public final class PssstPendingRequest {
    private final PssstServerChannel channel;
    private final ReplyContexts.Ctx ctx;
    private final long generation;
    private final SocketAddress sender;
    private final byte[] clientKey; // raw, public; null when anonymous
    private final PssstRequestId id;
    private final int length;
    private volatile boolean answered;

    PssstPendingRequest(PssstServerChannel channel, ReplyContexts.Ctx ctx, long generation, SocketAddress sender,
            byte[] clientKey, PssstRequestId id, int length) {
        this.channel = channel;
        this.ctx = ctx;
        this.generation = generation;
        this.sender = sender;
        this.clientKey = clientKey;
        this.id = id;
        this.length = length;
    }

    /** {@return the address the request came from, where the reply goes} */
    public SocketAddress sender() {
        return sender;
    }

    /** {@return the client key the request proved, or empty for an anonymous request} */
    public Optional<XECPublicKey> clientKey() {
        if (clientKey == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(X25519.publicKey(clientKey));
        } catch (InvalidKeyMaterialException e) {
            throw new IllegalStateException(e); // 32 bytes, checked by the engine
        }
    }

    /** {@return the request's id (its dh_param), which the reply repeats} */
    public PssstRequestId requestId() {
        return id;
    }

    /** {@return how many message bytes were written to the receive buffer (possibly truncated)} */
    public int length() {
        return length;
    }

    /** {@return whether {@link #reply} has succeeded} */
    public boolean isAnswered() {
        return answered;
    }

    /**
     * Seals {@code src}'s remaining bytes as the reply to this request and sends it to
     * {@link #sender()}. Like {@code send}: in non-blocking mode it may return zero with
     * nothing consumed; the reply is then already sealed and a retry (with the same bytes)
     * resends that datagram. A reply the network refuses for its destination is counted as a
     * send failure and treated as sent, as {@link PssstServerChannel} explains.
     *
     * @param src the reply's message: its remaining bytes, consumed when sent
     * @return the message bytes sent, or zero
     * @throws IllegalStateException if this request was already answered
     * @throws PssstNoPendingRequestException if its context was dropped (expired, evicted,
     *         abandoned, or the channel closed), or another thread is answering it right now
     * @throws PssstMessageTooLongException if the reply does not fit in one datagram
     * @throws PssstAmplificationException if the reply datagram would be larger than the
     *         channel's amplification bound allows: nothing sent, and this request's context
     *         wiped (see {@link PssstServerChannel.Builder#maxAmplification(int)})
     * @throws java.nio.channels.ClosedChannelException if the channel is closed, or
     *         {@link java.nio.channels.AsynchronousCloseException} if another thread closed it
     *         during this call (the reply was not sent)
     * @throws IOException if the socket fails otherwise
     */
    public int reply(ByteBuffer src) throws IOException {
        if (answered) {
            throw new IllegalStateException("this PSSST request was already answered: reply contexts are single-use");
        }
        int n = channel.reply(ctx, generation, src, sender);
        if (n < 0) {
            return 0; // the socket had no room: nothing consumed, retry later
        }
        answered = true;
        return n;
    }

    /** Drops the request without replying: its context is wiped and no longer counts against the bound. */
    public void abandon() {
        channel.abandon(ctx, generation);
    }

    @Override
    public String toString() {
        return "PssstPendingRequest[" + id + " from " + sender + (clientKey != null ? ", authenticated" : "")
                + (answered ? ", answered" : "") + "]";
    }
}
