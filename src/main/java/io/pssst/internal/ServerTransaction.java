package io.pssst.internal;

import io.pssst.ClientAuthFailedException;
import io.pssst.DecryptFailedException;
import io.pssst.InvalidKeyMaterialException;
import io.pssst.MalformedPacketException;
import io.pssst.PssstException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.security.interfaces.XECPublicKey;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request as the server sees it: its keys, then (once opened) the authenticated client
 * key, then exactly one reply. This is the reply context of PROTOCOL.md; it holds nothing
 * that outlives the reply. Thread-safe: the request is opened once and the reply sealed at
 * most once; {@link #destroy()} from any thread, at any moment, either comes first (the next
 * step is refused) or lets a step already under way finish with the real keys, which are
 * wiped when it ends (see {@link Wipeable}): nothing is ever sealed or opened with wiped keys.
 */
public final class ServerTransaction {
    private static final int BEGUN = 0;
    private static final int OPENED = 1;
    private static final int REPLIED = 2;
    private static final int DESTROYED = 3;
    /** {@link #flags} of a transaction begun from a bare dh_param: taken from the request when it is opened. */
    static final int FLAGS_FROM_REQUEST = -1;
    private static final String ABANDONED = "this request was abandoned (destroyed); its reply context is gone";

    private final ServerSession session;
    private volatile int flags;
    private final byte[] dhParam;
    /** The keys of the server key that opens the request (the current one until a previous one is tried). */
    private volatile TransactionKeys keys;
    private volatile int keyIndex; // which server key derived {@code keys}; read after the request is opened
    private final AtomicInteger state = new AtomicInteger(BEGUN);
    private volatile byte[] clientKey;

    ServerTransaction(ServerSession session, int flags, byte[] dhParam, TransactionKeys keys) {
        this.session = session;
        this.flags = flags;
        this.dhParam = dhParam;
        this.keys = keys;
    }

    /** The request's flags; {@code -1} for a transaction begun from a bare dh_param that is not opened yet. */
    public int flags() {
        return flags;
    }

    /** The request id (dh_param). */
    public byte[] requestId() {
        return dhParam.clone();
    }

    /** Whether the request carried client authentication (set the CLIENT_AUTH flag); false while the flags are unknown. */
    public boolean clientAuth() {
        int f = flags;
        return f != FLAGS_FROM_REQUEST && (f & Wire.FLAG_CLIENT_AUTH) != 0;
    }

    /** The authenticated client's raw public key, or null (anonymous, or not opened yet). */
    public byte[] clientKey() {
        byte[] c = clientKey;
        return c == null ? null : c.clone();
    }

    /** The authenticated client's public key, or null. */
    public XECPublicKey clientPublicKey() {
        byte[] c = clientKey;
        return c == null ? null : X25519.publicKey(c, 0);
    }

    /**
     * Decrypts and checks the request. The message is written at {@code dst}'s position and
     * {@code dst} advances by its length; {@code request} is consumed. {@code dst} needs room
     * for the whole plaintext, {@code request.remaining() - 52} bytes (for an authenticated
     * request that includes the 64-byte proof, which is removed afterwards).
     */
    public void openRequest(ByteBuffer request, ByteBuffer dst) throws PssstException {
        int requestFlags = checkDatagram(request);
        Bytes.checkWritable(dst, request.remaining() - Wire.OVERHEAD);
        int start = dst.position();
        int length = decrypt(request, requestFlags, dst);
        request.position(request.limit());
        if ((requestFlags & Wire.FLAG_CLIENT_AUTH) != 0) {
            // Move the message over the proof: dst then holds the message alone.
            dst.put(start, dst, start + Wire.CLIENT_PROOF_LENGTH, length);
            Bytes.wipe(dst, start + length, Wire.CLIENT_PROOF_LENGTH);
        }
        dst.position(start + length);
    }

    /**
     * Decrypts and checks the request in place: on return {@code request}'s position and
     * limit frame the message inside the same buffer. An authenticated request's proof
     * (C || e, the 64 bytes before the message) is zeroed.
     */
    public void openRequestInPlace(ByteBuffer request) throws PssstException {
        int requestFlags = checkDatagram(request);
        if (request.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int start = request.position() + Wire.PREFIX_LENGTH;
        ByteBuffer dst = request.duplicate().position(start);
        int length = decrypt(request, requestFlags, dst);
        int message = start;
        if ((requestFlags & Wire.FLAG_CLIENT_AUTH) != 0) {
            message += Wire.CLIENT_PROOF_LENGTH;
            Bytes.wipe(request, start, Wire.CLIENT_PROOF_LENGTH); // the proof C || e: e is the client's secret
        }
        request.limit(message + length).position(message);
    }

    /** Header checks, then that the datagram is this transaction's request; returns its flags. */
    private int checkDatagram(ByteBuffer request) throws PssstException {
        int requestFlags = Wire.checkRequestHeader(request);
        int expected = flags;
        if ((expected != FLAGS_FROM_REQUEST && requestFlags != expected)
                || !Bytes.equalsAt(request, request.position() + Wire.HEADER_LENGTH, dhParam)) {
            throw new DecryptFailedException("the datagram is not the request these keys were derived for");
        }
        if (state.get() != BEGUN) {
            throw new IllegalStateException("this PSSST request has already been opened");
        }
        return requestFlags;
    }

    /**
     * Decrypts into dst at its position and checks the client proof; returns the message
     * length. Moves neither buffer: on failure no plaintext is left in dst.
     */
    private int decrypt(ByteBuffer request, int requestFlags, ByteBuffer dst) throws PssstException {
        int requestStart = request.position();
        int start = dst.position();
        int plain = request.remaining() - Wire.OVERHEAD;
        openWithServerKeys(request, dst);
        request.position(requestStart);
        dst.position(start);
        if ((requestFlags & Wire.FLAG_CLIENT_AUTH) == 0) {
            opened(requestFlags, null);
            return plain;
        }
        if (plain < Wire.CLIENT_PROOF_LENGTH) {
            Bytes.wipe(dst, start, plain);
            throw new MalformedPacketException("client-auth request carries " + plain
                    + " bytes of payload, fewer than the 64-byte client proof");
        }
        byte[] proof = Bytes.copyAt(dst, start, Wire.CLIENT_PROOF_LENGTH);
        try {
            verifyProof(proof);
        } catch (ClientAuthFailedException e) {
            Bytes.wipe(dst, start, plain);
            throw e;
        } finally {
            Arrays.fill(proof, X25519.KEY_LENGTH, Wire.CLIENT_PROOF_LENGTH, (byte) 0);
        }
        opened(requestFlags, Arrays.copyOf(proof, X25519.KEY_LENGTH));
        return plain - Wire.CLIENT_PROOF_LENGTH;
    }

    /**
     * Opens with the keys of the server's current key; when the tag fails and the server holds
     * previous keys, with each of those in turn (one X25519 each), so that clients that still
     * use an old key are answered during a rotation. A failed attempt may clobber the region
     * it decrypted into (in place, some JDKs leave plaintext there and it is wiped), so with
     * previous keys the datagram is copied first and restored before the next attempt.
     */
    private void openWithServerKeys(ByteBuffer request, ByteBuffer dst) throws DecryptFailedException {
        int count = session.keyCount();
        byte[] copy = count > 1 ? Bytes.copyAt(request, request.position(), request.remaining()) : null;
        for (int i = 0;; i++) {
            try {
                if (!keys.openDatagram(false, request, dst)) {
                    throw new IllegalStateException(ABANDONED);
                }
                keyIndex = i;
                return;
            } catch (DecryptFailedException e) {
                if (i + 1 >= count) {
                    throw e;
                }
                request.put(request.position(), copy);
                TransactionKeys next;
                try {
                    next = session.keysFor(i + 1, dhParam);
                } catch (InvalidKeyMaterialException notForThisKey) {
                    throw e; // not reached: a point of low order is so for every key, and key 0 took it
                }
                useKeys(next);
            }
        }
    }

    /** Replaces the keys by those of another server key, unless the transaction was destroyed meanwhile. */
    private synchronized void useKeys(TransactionKeys next) {
        if (state.get() == DESTROYED) {
            next.destroy();
            throw new IllegalStateException(ABANDONED);
        }
        TransactionKeys old = keys;
        keys = next;
        old.destroy();
    }

    /** Refuses unless X25519(e, C) equals dh_param, compared in constant time. */
    private void verifyProof(byte[] proof) throws ClientAuthFailedException {
        byte[] expected;
        try {
            expected = session.proofPoint(proof);
        } catch (InvalidKeyMaterialException e) {
            throw new ClientAuthFailedException("the client key in the proof is not a usable X25519 point", e);
        }
        if (!java.security.MessageDigest.isEqual(expected, dhParam)) {
            throw new ClientAuthFailedException("the client proof does not match the request's dh_param");
        }
    }

    /** The tag verified, so the header (AAD) is authentic: its flags become this transaction's. */
    private void opened(int requestFlags, byte[] client) {
        flags = requestFlags;
        clientKey = client;
        state.set(OPENED);
        session.countOpened(keyIndex);
    }

    /**
     * Which of the server's keys opened the request: 0 for the current key, 1 and on for the
     * previous keys in the session's order (a key rotation). Meaningful once the request is
     * {@linkplain #opened() opened}; 0 before.
     */
    public int keyIndex() {
        return keyIndex;
    }

    /** Whether the request has been opened (its reply may since have been sealed). */
    public boolean opened() {
        int s = state.get();
        return s == OPENED || s == REPLIED;
    }

    /** Length of the reply datagram for a message of {@code messageLength} bytes. */
    public int replyLength(int messageLength) {
        return Wire.replyLength(messageLength);
    }

    /**
     * Seals the reply: writes the datagram at {@code out}'s position and advances it;
     * consumes {@code message}. Once only.
     *
     * @throws IllegalStateException if the request was not opened, or was already answered
     * @throws java.nio.BufferOverflowException if {@code out} is too small (nothing consumed)
     */
    public void sealReply(ByteBuffer message, ByteBuffer out) {
        Bytes.checkWritable(out, replyLength(message.remaining()));
        if (!state.compareAndSet(OPENED, REPLIED)) {
            int s = state.get();
            throw new IllegalStateException(s == BEGUN ? "the request has not been opened"
                    : s == DESTROYED ? ABANDONED
                    : "this request has already been answered: reply contexts are single-use");
        }
        int replyFlags = Wire.FLAG_REPLY | (flags & Wire.FLAG_CLIENT_AUTH);
        int start = out.position();
        try {
            // Ciphertext first, prefix last: a message that overlaps the output (in-place
            // sealing) is read before the 36 prefix bytes are written over it.
            out.position(start + Wire.PREFIX_LENGTH);
            if (!keys.seal(true, Wire.header(replyFlags), message, out)) {
                out.position(start);
                throw new IllegalStateException(ABANDONED);
            }
            int end = out.position();
            out.position(start);
            Wire.putHeader(out, replyFlags);
            out.put(dhParam);
            out.position(end);
        } finally {
            keys.destroy();
        }
    }

    /** Whether the reply has been sealed. */
    public boolean replied() {
        return state.get() == REPLIED;
    }

    /**
     * Abandons the request without replying and wipes its keys: at once, or, if another
     * thread is opening the request or sealing the reply right now, as soon as it is done.
     */
    public synchronized void destroy() {
        state.set(DESTROYED);
        keys.destroy();
    }

    @Override
    public String toString() {
        return "ServerTransaction[id=" + Bytes.hexPrefix(dhParam) + ", "
                + (clientAuth() ? "authenticated" : "anonymous") + "]";
    }
}
