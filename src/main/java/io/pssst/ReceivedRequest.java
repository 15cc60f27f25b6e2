package io.pssst;

import java.security.interfaces.XECPublicKey;
import java.util.Optional;

/**
 * A request the server has opened: its message and the sealer for its one reply.
 *
 * @param message the request message; the caller owns the array
 * @param replySealer seals the one reply, and knows the authenticated client key
 */
public record ReceivedRequest(byte[] message, ReplySealer replySealer) {

    /** {@return the authenticated client's public key, or empty for an anonymous request} */
    public Optional<XECPublicKey> clientKey() {
        return replySealer.clientKey();
    }

    /**
     * Shortcut for {@code replySealer().seal(reply)}.
     *
     * @param reply the reply's message
     * @return the reply datagram
     * @throws IllegalStateException if a reply was already sealed for this request, or the
     *         sealer was destroyed
     */
    public byte[] seal(byte[] reply) {
        return replySealer.seal(reply);
    }

    /** The message's length and the sealer's state; never the message. */
    @Override
    public String toString() {
        return "ReceivedRequest[" + message.length + " bytes, " + replySealer + "]";
    }
}
