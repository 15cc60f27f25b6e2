package io.pssst;

import io.pssst.internal.ServerTransaction;
import java.nio.ByteBuffer;
import java.security.interfaces.XECPublicKey;
import java.util.Optional;

/**
 * The server's reply context for one opened request: who sent it (if the client
 * authenticated) and the keys to seal exactly one reply, bound to that request.
 *
 * <p>This is all the state a PSSST server ever holds, and only between opening a request and
 * answering it. Thread-safe: any thread may seal the reply, once; the keys are wiped after.
 */
public final class ReplySealer {
    private final ServerTransaction tx;

    ReplySealer(ServerTransaction tx) {
        this.tx = tx;
    }

    /** {@return the authenticated client's public key, or empty for an anonymous request} */
    public Optional<XECPublicKey> clientKey() {
        return Optional.ofNullable(tx.clientPublicKey());
    }

    /** {@return the request id (its dh_param), which the reply repeats (a new array each call)} */
    public byte[] requestId() {
        return tx.requestId();
    }

    /**
     * The length of the reply datagram for a message of {@code messageLength} bytes ({@code + 52}).
     *
     * @param messageLength the message's length in bytes
     * @return the reply datagram's length in bytes
     */
    public int replyLength(int messageLength) {
        return tx.replyLength(messageLength);
    }

    /**
     * Seals the reply. The message array is not retained.
     *
     * @param message the reply's message (not retained)
     * @return the reply datagram (a new array)
     * @throws IllegalStateException if a reply was already sealed for this request, or this
     *         sealer was destroyed
     */
    public byte[] seal(byte[] message) {
        ByteBuffer out = ByteBuffer.allocate(replyLength(message.length));
        tx.sealReply(ByteBuffer.wrap(message), out);
        return out.array();
    }

    /**
     * Seals {@code message}'s remaining bytes (consumed) into {@code datagram} at its
     * position, which advances by {@link #replyLength(int)}. Heap or direct buffers; they may
     * overlap (in-place sealing: the message may sit where the datagram starts, or 36 bytes
     * after it, where its ciphertext will go).
     *
     * @param message the reply's message: its remaining bytes, consumed
     * @param datagram where the reply datagram is written, at its position
     * @throws IllegalStateException if a reply was already sealed for this request, or this
     *         sealer was destroyed
     * @throws java.nio.BufferOverflowException if {@code datagram} is too small (nothing is
     *         consumed, and the reply can still be sealed)
     * @throws java.nio.ReadOnlyBufferException if {@code datagram} is read-only (the same)
     */
    public void seal(ByteBuffer message, ByteBuffer datagram) {
        tx.sealReply(message, datagram);
    }

    /**
     * {@return whether the reply has been sealed (as {@link ReplyOpener#isAnswered()} tells
     * whether it was opened)}
     */
    public boolean isAnswered() {
        return tx.replied();
    }

    /** Drops the request without replying; wipes its keys. */
    public void destroy() {
        tx.destroy();
    }

    @Override
    public String toString() {
        return "ReplySealer[" + (tx.clientAuth() ? "authenticated" : "anonymous") + (isAnswered() ? ", answered" : "") + "]";
    }
}
