package io.pssst;

import io.pssst.internal.ServerSession;
import io.pssst.internal.Wire;
import java.nio.ByteBuffer;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A PSSST server: opens requests sealed for its key and hands back, for each, the
 * authenticated client key (if the client authenticated) and a single-use
 * {@link ReplySealer}.
 *
 * <pre>{@code
 * PssstServer server = PssstServer.create(serverPrivateKey);
 * ReceivedRequest request = server.open(datagram);
 * byte[] reply = request.replySealer().seal(answer(request.message()));
 * }</pre>
 *
 * <p>Immutable and thread-safe; it keeps no state between requests. Checks run in the
 * protocol's order, cheapest first: length, REPLY flag and suite before any X25519; the tag
 * before any plaintext is released; the client proof (constant-time) before the message.
 * Which clients to accept is the caller's policy: check {@link ReplySealer#clientKey()}.
 */
public final class PssstServer {
    private final ServerSession session;

    private PssstServer(ServerSession session) {
        this.session = session;
    }

    /**
     * A server holding {@code serverKey}, with the {@linkplain PssstX25519#configured()
     * configured} X25519. The key's scalar need not be extractable.
     *
     * @param serverKey the server's private key
     * @return the server
     * @throws InvalidKeyMaterialException if the key is not an X25519 key
     * @throws NullPointerException if {@code serverKey} is null
     * @throws IllegalStateException if the system property {@value PssstX25519#PROPERTY} is invalid
     */
    public static PssstServer create(XECPrivateKey serverKey) throws InvalidKeyMaterialException {
        return create(serverKey, PssstX25519.configured());
    }

    /**
     * A server holding {@code serverKey}, using the {@code x25519} implementation. A key whose
     * scalar is not extractable (a hardware-backed one) is used through the JDK whatever
     * {@code x25519} says; the built-in X25519 copies the scalar of one that is.
     *
     * @param serverKey the server's private key
     * @param x25519 the X25519 implementation
     * @return the server
     * @throws InvalidKeyMaterialException if the key is not an X25519 key
     * @throws NullPointerException if an argument is null
     */
    public static PssstServer create(XECPrivateKey serverKey, PssstX25519 x25519) throws InvalidKeyMaterialException {
        return new PssstServer(ServerSession.of(serverKey, Objects.requireNonNull(x25519, "x25519")));
    }

    /**
     * A server holding {@code currentKey} and, during a key rotation, previous keys it still
     * honours: a request is opened with the current key, and only when its tag fails with
     * each previous key in turn. A request for an old key costs one more X25519 per key tried
     * before it (a forged request, one per key held).
     *
     * @param currentKey the server's current private key
     * @param previousKeys the keys clients may still use, most recent first (may be empty)
     * @param x25519 the X25519 implementation
     * @return the server
     * @throws InvalidKeyMaterialException if a key is not an X25519 key
     * @throws NullPointerException if an argument or key is null
     */
    public static PssstServer create(XECPrivateKey currentKey, List<XECPrivateKey> previousKeys, PssstX25519 x25519)
            throws InvalidKeyMaterialException {
        return new PssstServer(ServerSession.of(currentKey, List.copyOf(previousKeys),
                Objects.requireNonNull(x25519, "x25519")));
    }

    /**
     * The X25519 implementation this server uses.
     *
     * @return the implementation
     */
    public PssstX25519 x25519() {
        return session.x25519();
    }

    /**
     * How many keys this server holds: the current one plus its previous ones.
     *
     * @return the number of keys
     */
    public int keyCount() {
        return session.keyCount();
    }

    /**
     * How many requests key {@code index} has opened (0: the current key; 1 and on: the
     * previous keys, in the order given): how far clients have moved to a new key.
     *
     * @param index which key
     * @return the requests it has opened
     * @throws IndexOutOfBoundsException if there is no such key
     */
    public long requestsOpened(int index) {
        Objects.checkIndex(index, session.keyCount());
        return session.requestsOpened(index);
    }

    /**
     * Opens a request. The datagram array is not retained.
     *
     * @param datagram the request datagram (not retained)
     * @return the message (a new array) and the sealer of its one reply
     * @throws MalformedPacketException shorter than 52 bytes, or a client-auth payload
     *         shorter than the 64-byte proof
     * @throws NotRequestException the REPLY flag is set
     * @throws UnsupportedSuiteException a suite other than 1
     * @throws InvalidKeyMaterialException the dh_param is a low-order point
     * @throws DecryptFailedException the tag does not verify
     * @throws ClientAuthFailedException the client proof does not match
     */
    public ReceivedRequest open(byte[] datagram) throws PssstException {
        ByteBuffer message = ByteBuffer.allocate(Math.max(0, datagram.length - Wire.OVERHEAD));
        ReplySealer sealer = open(ByteBuffer.wrap(datagram), message);
        byte[] m = message.array();
        return new ReceivedRequest(message.hasRemaining() ? Arrays.copyOf(m, message.position()) : m, sealer);
    }

    /**
     * Opens the request in {@code datagram}'s remaining bytes into {@code message} (heap or
     * direct): the message is written at its position, which advances by the message length;
     * {@code datagram} is consumed. {@code message} needs room for
     * {@code datagram.remaining() - 52} bytes, which for an authenticated request includes
     * the 64-byte proof that is removed afterwards. On failure neither buffer's position
     * moves and no plaintext is left in {@code message}.
     *
     * @param datagram the request: its remaining bytes
     * @param message where the message is written, at its position
     * @return the sealer of this request's one reply
     * @throws PssstException each refusal of {@link #open(byte[])}
     * @throws java.nio.BufferOverflowException if {@code message} has too little room
     *         (checked before any work)
     * @throws java.nio.ReadOnlyBufferException if {@code message} is read-only (checked
     *         before any work)
     */
    public ReplySealer open(ByteBuffer datagram, ByteBuffer message) throws PssstException {
        return new ReplySealer(session.open(datagram, message));
    }

    /**
     * Opens the request in place: on return {@code datagram}'s position and limit frame the
     * message inside the same buffer; an authenticated request's 64-byte client proof, which
     * the plaintext carries before the message, is zeroed. On failure the buffer's position and limit are
     * unchanged and no plaintext is left in it: a request refused before decryption is left
     * as it was; after a tag or client-proof failure the decrypted region is zeroed.
     *
     * @param datagram the request, opened in place
     * @return the sealer of this request's one reply
     * @throws PssstException each refusal of {@link #open(byte[])}
     * @throws java.nio.ReadOnlyBufferException if {@code datagram} is read-only (checked
     *         before any work)
     */
    public ReplySealer openInPlace(ByteBuffer datagram) throws PssstException {
        return new ReplySealer(session.openInPlace(datagram));
    }

    @Override
    public String toString() {
        return "PssstServer[X25519_AESGCM128]";
    }
}
