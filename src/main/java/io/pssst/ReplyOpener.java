package io.pssst;

import io.pssst.internal.ClientTransaction;
import io.pssst.internal.Wire;
import java.nio.ByteBuffer;

/**
 * The client's reply context for one request: it accepts exactly one reply, the one the
 * server sealed for this request, and refuses everything else with a typed
 * {@link PssstException}.
 *
 * <p>Thread-safe. A reply that fails to open (tampered, truncated, another request's) does
 * not use the opener up: the genuine reply can still be opened afterwards. Once a reply has
 * been opened the keys are wiped and any further reply, even an identical copy, is refused
 * with {@link ReplyMismatchException}.
 */
public final class ReplyOpener {
    private final ClientTransaction tx;

    ReplyOpener(ClientTransaction tx) {
        this.tx = tx;
    }

    /** {@return the request id: the 32-byte dh_param that the reply must repeat (a new array each call)} */
    public byte[] requestId() {
        return tx.requestId();
    }

    /** {@return whether the request carried client authentication} */
    public boolean isAuthenticated() {
        return (tx.flags() & Wire.FLAG_CLIENT_AUTH) != 0;
    }

    /**
     * A cheap test, without cryptography, of whether {@code datagram}'s remaining bytes claim
     * to answer this request (REPLY flag, suite, CLIENT_AUTH flag and request id match).
     * Does not move the buffer. Only {@link #open} proves it.
     *
     * @param datagram a received datagram: its remaining bytes (not moved)
     * @return whether it claims to answer this request
     */
    public boolean isAnsweredBy(ByteBuffer datagram) {
        return tx.answeredBy(datagram);
    }

    /**
     * Opens the reply.
     *
     * @param reply the reply datagram
     * @return the reply message (a new array)
     * @throws MalformedPacketException shorter than 52 bytes
     * @throws NotReplyException the REPLY flag is clear
     * @throws ReplyMismatchException not this request's reply (suite, flag or id differ), or
     *         this request was already answered (or abandoned)
     * @throws DecryptFailedException the tag does not verify
     */
    public byte[] open(byte[] reply) throws PssstException {
        ByteBuffer in = ByteBuffer.wrap(reply);
        ByteBuffer out = ByteBuffer.allocate(Math.max(0, reply.length - Wire.OVERHEAD));
        tx.openReply(in, out);
        return out.array();
    }

    /**
     * Opens the reply held in {@code reply}'s remaining bytes into {@code message} (heap or
     * direct): the message is written at its position, which advances by the message length
     * ({@code reply.remaining() - 52}); {@code reply} is consumed. On failure neither buffer
     * moves and no plaintext is left in {@code message} (after a tag failure the bytes where
     * the message would have gone are zeroed).
     *
     * @param reply the reply datagram: its remaining bytes
     * @param message where the message is written, at its position
     * @throws MalformedPacketException shorter than 52 bytes
     * @throws NotReplyException the REPLY flag is clear
     * @throws ReplyMismatchException not this request's reply, or this request was already
     *         answered (or abandoned)
     * @throws DecryptFailedException the tag does not verify
     * @throws java.nio.BufferOverflowException if {@code message} has less room than the
     *         message (checked after the header, before any decryption)
     * @throws java.nio.ReadOnlyBufferException if {@code message} is read-only
     */
    public void open(ByteBuffer reply, ByteBuffer message) throws PssstException {
        tx.openReply(reply, message);
    }

    /**
     * Opens the reply in place, without a second buffer: on return {@code reply}'s position
     * and limit frame the decrypted message inside it. On failure its position and limit are
     * unchanged and no plaintext is left in it: a reply refused before decryption is left as
     * it was; after a tag failure its ciphertext bytes are zeroed (some JDKs decrypt in place
     * before checking the tag), the header, request id and tag are left as they were.
     *
     * @param reply the reply datagram, opened in place
     * @throws MalformedPacketException shorter than 52 bytes
     * @throws NotReplyException the REPLY flag is clear
     * @throws ReplyMismatchException not this request's reply, or this request was already
     *         answered (or abandoned)
     * @throws DecryptFailedException the tag does not verify
     * @throws java.nio.ReadOnlyBufferException if {@code reply} is read-only
     */
    public void openInPlace(ByteBuffer reply) throws PssstException {
        tx.openReplyInPlace(reply);
    }

    /** {@return whether a reply has been opened} */
    public boolean isAnswered() {
        return tx.answered();
    }

    /** Gives up on the reply (a timeout, say): wipes the keys; a late reply is refused. */
    public void destroy() {
        tx.destroy();
    }

    @Override
    public String toString() {
        return "ReplyOpener[" + (isAnswered() ? "answered" : "waiting") + "]";
    }
}
