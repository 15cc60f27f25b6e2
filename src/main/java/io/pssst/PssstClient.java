package io.pssst;

import io.pssst.internal.ClientSession;
import io.pssst.internal.ClientTransaction;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.Destroyable;

/**
 * A PSSST client for one server: packs requests and hands back, for each, the single-use
 * {@link ReplyOpener} that accepts its reply.
 *
 * <pre>{@code
 * PssstClient client = PssstClient.anonymous(serverPublicKey);
 * PackedRequest request = client.pack("ping".getBytes(UTF_8));
 * socket.send(request.datagram());
 * byte[] answer = request.replyOpener().open(replyDatagram);
 * }</pre>
 *
 * <p>Thread-safe: one instance can serve any number of threads. An authenticated client
 * computes its static secret X25519(c, S) once, when it is made, and never per request;
 * every request, authenticated or not, costs two X25519 operations (its dh_param and its
 * shared secret). Each request draws exactly 32 bytes (its ephemeral scalar) from the
 * client's {@link SecureRandom}, and nothing else.
 *
 * <p><b>What it keeps.</b> The server's public key S; for an authenticated client also its
 * public key C and the static secret CS = X25519(c, S), held from creation until
 * {@link #destroy()} (or {@link #close()}), which wipes it. CS is a bearer credential: with
 * it and C anyone could forge this client's authenticated requests, so destroy a client you
 * no longer need. The private key c is used once, at creation, and not kept. After
 * {@code destroy}, {@code pack} throws {@link IllegalStateException}; requests packed
 * before keep their own keys, and their {@link ReplyOpener}s still work.
 */
public final class PssstClient implements Destroyable, AutoCloseable {
    private final ClientSession session;
    private final SecureRandom random;

    private PssstClient(ClientSession session, SecureRandom random) {
        this.session = session;
        this.random = random;
    }

    /**
     * An anonymous client of the server whose public key is {@code serverKey}, with the
     * {@linkplain PssstX25519#configured() configured} X25519.
     *
     * @param serverKey the server's public key
     * @return the client
     * @throws InvalidKeyMaterialException if the key is not an X25519 key, or is a low-order
     *         point (no request to it could be keyed)
     * @throws NullPointerException if {@code serverKey} is null
     * @throws IllegalStateException if the system property {@value PssstX25519#PROPERTY} is invalid
     */
    public static PssstClient anonymous(XECPublicKey serverKey) throws InvalidKeyMaterialException {
        return anonymous(serverKey, PssstX25519.configured());
    }

    /**
     * An anonymous client of the server whose public key is {@code serverKey}, using the
     * {@code x25519} implementation. With {@link PssstX25519#BUILTIN} it prepares a table for
     * the server's key here, once (about as long as two requests).
     *
     * @param serverKey the server's public key
     * @param x25519 the X25519 implementation
     * @return the client
     * @throws InvalidKeyMaterialException if the key is not an X25519 key, or is a low-order point
     * @throws NullPointerException if an argument is null
     */
    public static PssstClient anonymous(XECPublicKey serverKey, PssstX25519 x25519) throws InvalidKeyMaterialException {
        return new PssstClient(ClientSession.anonymous(serverKey, Objects.requireNonNull(x25519, "x25519")),
                new SecureRandom());
    }

    /**
     * A client that proves to the server that it holds {@code clientKey}, with the
     * {@linkplain PssstX25519#configured() configured} X25519. The key's scalar need not be
     * extractable (a hardware-backed key works).
     *
     * @param serverKey the server's public key
     * @param clientKey the client's private key
     * @return the client
     * @throws InvalidKeyMaterialException if a key is not an X25519 key, or the server key is
     *         a low-order point
     * @throws NullPointerException if a key is null
     * @throws IllegalStateException if the system property {@value PssstX25519#PROPERTY} is invalid
     */
    public static PssstClient authenticated(XECPublicKey serverKey, XECPrivateKey clientKey)
            throws InvalidKeyMaterialException {
        return authenticated(serverKey, clientKey, PssstX25519.configured());
    }

    /**
     * A client that proves to the server that it holds {@code clientKey}, using the
     * {@code x25519} implementation. With {@link PssstX25519#BUILTIN} it prepares tables for
     * C and CS here, once, so that a request needs no variable-base multiplication; a client
     * key whose scalar is not extractable is used through the JDK for that one computation.
     *
     * @param serverKey the server's public key
     * @param clientKey the client's private key
     * @param x25519 the X25519 implementation
     * @return the client
     * @throws InvalidKeyMaterialException if a key is not an X25519 key, or the server key is
     *         a low-order point
     * @throws NullPointerException if an argument is null
     */
    public static PssstClient authenticated(XECPublicKey serverKey, XECPrivateKey clientKey, PssstX25519 x25519)
            throws InvalidKeyMaterialException {
        return new PssstClient(ClientSession.authenticated(serverKey, clientKey,
                Objects.requireNonNull(x25519, "x25519")), new SecureRandom());
    }

    /**
     * The X25519 implementation this client uses.
     *
     * @return the implementation
     */
    public PssstX25519 x25519() {
        return session.x25519();
    }

    /**
     * The same client drawing its ephemeral keys from {@code random} instead of a default
     * {@link SecureRandom}. The random source must be cryptographically strong: an ephemeral
     * scalar that repeats repeats the AES-GCM nonce. Each request draws exactly 32 bytes
     * from it, so a deterministic source reproduces requests byte for byte (tests only).
     * The two clients share their keys: destroying either destroys both.
     *
     * @param random a cryptographically strong source of ephemeral keys
     * @return a client like this one that draws from {@code random}
     * @throws NullPointerException if {@code random} is null
     */
    public PssstClient withRandom(SecureRandom random) {
        return new PssstClient(session, Objects.requireNonNull(random, "random"));
    }

    /** {@return whether this client authenticates its requests} */
    public boolean isAuthenticated() {
        return session.authenticated();
    }

    /** {@return the client's public key, if it authenticates} */
    public Optional<XECPublicKey> clientKey() {
        return session.clientKey();
    }

    /** {@return the server's public key} */
    public XECPublicKey serverKey() {
        return session.serverKey();
    }

    /**
     * The length of the request datagram for a message of {@code messageLength} bytes (52, plus 64 with client auth).
     *
     * @param messageLength the message's length in bytes
     * @return the request datagram's length in bytes
     */
    public int requestLength(int messageLength) {
        return io.pssst.internal.Wire.requestLength(messageLength, session.authenticated());
    }

    /**
     * Packs a request. The message array is not retained.
     *
     * @param message the request's message (not retained)
     * @return the datagram to send (a new array) and the opener for its reply
     * @throws InvalidKeyMaterialException only if the X25519 provider refuses a fresh key
     * @throws IllegalStateException if this client has been destroyed
     */
    public PackedRequest pack(byte[] message) throws InvalidKeyMaterialException {
        ByteBuffer out = ByteBuffer.allocate(requestLength(message.length));
        ReplyOpener opener = pack(ByteBuffer.wrap(message), out);
        return new PackedRequest(out.array(), opener);
    }

    /**
     * Packs a request from a buffer into a buffer (heap or direct). The message is
     * {@code message}'s remaining bytes, all consumed (position moves to limit); the datagram
     * is written at {@code datagram}'s position, which advances by
     * {@link #requestLength(int) requestLength(message.remaining())}. Buffers are the
     * caller's; none is retained. They may share memory exactly in place: the message lying
     * where its ciphertext goes, 36 bytes (100 with client authentication) after the
     * datagram's position, as the JCA requires of {@code Cipher} (copy-safe buffers); any
     * other overlap is not supported. Both are checked before any work, so a refused call
     * draws no randomness.
     *
     * @param message the request's message: its remaining bytes, consumed
     * @param datagram where the request datagram is written, at its position
     * @return the opener for the request's reply
     * @throws java.nio.BufferOverflowException if {@code datagram} is too small (nothing is
     *         consumed or written)
     * @throws java.nio.ReadOnlyBufferException if {@code datagram} is read-only
     * @throws InvalidKeyMaterialException only if the X25519 provider refuses a fresh key
     * @throws IllegalStateException if this client has been destroyed
     */
    public ReplyOpener pack(ByteBuffer message, ByteBuffer datagram) throws InvalidKeyMaterialException {
        io.pssst.internal.Bytes.checkWritable(datagram, requestLength(message.remaining()));
        ClientTransaction tx = session.begin(random);
        tx.sealRequest(message, datagram);
        return new ReplyOpener(tx);
    }

    /**
     * Wipes the static secret CS of an authenticated client (at once, or as soon as the
     * {@code pack} calls in progress end); later calls of {@code pack} are refused. Requests
     * already packed are not affected. Idempotent.
     */
    @Override
    public void destroy() {
        session.close();
    }

    /** Whether {@link #destroy()} has been called. */
    @Override
    public boolean isDestroyed() {
        return session.closed();
    }

    /** {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "PssstClient[" + (isAuthenticated() ? "authenticated" : "anonymous") + (isDestroyed() ? ", destroyed" : "") + "]";
    }
}
