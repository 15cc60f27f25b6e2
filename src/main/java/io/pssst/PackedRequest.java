package io.pssst;

/**
 * A request datagram ready to send, and the single-use opener for its reply.
 *
 * @param datagram the request datagram; the caller owns the array
 * @param replyOpener accepts the one reply to this request
 */
public record PackedRequest(byte[] datagram, ReplyOpener replyOpener) {

    /**
     * Shortcut for {@code replyOpener().open(reply)}.
     *
     * @param reply the reply datagram
     * @return the reply's message
     * @throws PssstException as {@link ReplyOpener#open(byte[])}
     */
    public byte[] openReply(byte[] reply) throws PssstException {
        return replyOpener.open(reply);
    }

    /** The datagram's length and the opener's state; never the datagram's bytes. */
    @Override
    public String toString() {
        return "PackedRequest[" + datagram.length + " bytes, " + replyOpener + "]";
    }
}
