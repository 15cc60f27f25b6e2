package io.pssst.channel;

import java.io.IOException;

/**
 * A server channel refused to send a reply larger than its amplification bound allows: more
 * than {@link #maxAmplification()} times the size of the request datagram it answers (see
 * {@link PssstServerChannel.Builder#maxAmplification(int)}). Nothing was sealed or sent, the
 * source buffer is untouched, and the request's reply context is wiped (the request cannot be
 * answered any more; a client retransmitting it gets a new context); the channel stays usable.
 * Counted in {@link PssstChannelStats#repliesRefusedAmplification()}.
 *
 * <p>Loud on purpose: an application whose replies break the bound learns it in development,
 * not from clients that time out. Either the client pads its request (as QUIC clients pad
 * their Initial packets) so that the reply fits, or the server raises the bound, or switches
 * it off where reflection is not a concern.
 *
 * <p>An {@link IOException}, so an event loop's usual handler for failed sends covers it.
 */
public final class PssstAmplificationException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The reply datagram's size. */
    private final int replyLength;
    /** The request datagram's size. */
    private final int requestLength;
    /** The bound's factor. */
    private final int maxAmplification;

    PssstAmplificationException(int replyLength, int requestLength, int maxAmplification) {
        super("a reply datagram of " + replyLength + " bytes is more than " + maxAmplification + " x the "
                + requestLength + "-byte request it answers (at most " + (long) maxAmplification * requestLength
                + " bytes): not sent, and the request's reply context was dropped. The bound keeps the server from"
                + " reflecting large replies to forged sources: have the client pad its request, or raise the"
                + " server's maxAmplification");
        this.replyLength = replyLength;
        this.requestLength = requestLength;
        this.maxAmplification = maxAmplification;
    }

    /** {@return the size of the refused reply datagram, in bytes (the message and PSSST's 52 bytes)} */
    public int replyLength() {
        return replyLength;
    }

    /** {@return the size of the request datagram it would have answered, in bytes} */
    public int requestLength() {
        return requestLength;
    }

    /** {@return the channel's bound: a reply datagram may be at most this many times its request's} */
    public int maxAmplification() {
        return maxAmplification;
    }
}
