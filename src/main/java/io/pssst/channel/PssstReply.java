package io.pssst.channel;

import java.net.SocketAddress;

/**
 * What {@link PssstClientChannel#receiveReply} delivers: either a reply, decrypted into the
 * caller's buffer, to the request named by {@link #requestId()}; or the news that a request
 * sent with {@link PssstClientChannel#sendRequest} timed out ({@link #isTimeout()}), in which
 * case nothing was written to the buffer. Immutable.
 */
public final class PssstReply {
    private final PssstRequestId requestId;
    private final SocketAddress sender;
    private final int length;
    private final int attempts;
    private final boolean evicted;

    private PssstReply(PssstRequestId requestId, SocketAddress sender, int length, int attempts, boolean evicted) {
        this.requestId = requestId;
        this.sender = sender;
        this.length = length;
        this.attempts = attempts;
        this.evicted = evicted;
    }

    static PssstReply reply(PssstRequestId id, SocketAddress sender, int length) {
        return new PssstReply(id, sender, length, 0, false);
    }

    static PssstReply timeout(PssstRequestId id, int attempts, boolean evicted) {
        return new PssstReply(id, null, -1, attempts, evicted);
    }

    /** {@return the request this reply answers, or that timed out} */
    public PssstRequestId requestId() {
        return requestId;
    }

    /**
     * {@return true if this is a timeout: the request got no valid reply, and never will be
     * answered by this channel}
     */
    public boolean isTimeout() {
        return sender == null;
    }

    /**
     * {@return true if the request was abandoned early to keep within the bound on outstanding
     * requests} (For a timeout.)
     */
    public boolean wasEvicted() {
        return evicted;
    }

    /** {@return the reply's source address; null for a timeout} */
    public SocketAddress sender() {
        return sender;
    }

    /** {@return how many message bytes were written to the buffer (possibly truncated); -1 for a timeout} */
    public int length() {
        return length;
    }

    /** {@return how many times the request was sent; 0 for a reply} (For a timeout.) */
    public int attempts() {
        return attempts;
    }

    @Override
    public String toString() {
        return isTimeout() ? "PssstReply[" + requestId + " timed out after " + attempts + " attempts"
                + (evicted ? ", evicted" : "") + "]"
                : "PssstReply[" + requestId + " from " + sender + ", " + length + " bytes]";
    }
}
