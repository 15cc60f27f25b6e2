package io.pssst.channel;

import java.net.SocketTimeoutException;

/**
 * A client request got no valid reply before its deadline, after every attempt its
 * {@link PssstRetryPolicy} allowed — or it was abandoned to keep the number of outstanding
 * requests within the channel's bound ({@link #wasEvicted()}). Thrown by
 * {@link PssstClientChannel#call}, and the exceptional result of
 * {@link PssstClientChannel#callAsync}. The channel stays open.
 *
 * <p>A {@link SocketTimeoutException}, so code written for timed socket reads handles it.
 */
public final class PssstTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    private final transient PssstRequestId requestId;
    /** How many times the request's datagram was sent. */
    private final int attempts;
    /** Whether the request was abandoned to make room for newer ones. */
    private final boolean evicted;

    PssstTimeoutException(PssstRequestId requestId, int attempts, boolean evicted, String message) {
        super(message);
        this.requestId = requestId;
        this.attempts = attempts;
        this.evicted = evicted;
    }

    /** {@return the request that got no reply} */
    public PssstRequestId requestId() {
        return requestId;
    }

    /** {@return how many times its datagram was sent} */
    public int attempts() {
        return attempts;
    }

    /** {@return true if it was abandoned to make room for newer requests, before its deadline} */
    public boolean wasEvicted() {
        return evicted;
    }
}
