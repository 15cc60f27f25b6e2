package io.pssst.internal;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.security.PrivateKey;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A server's private key and the first steps of every request: the header checks and the
 * one X25519 operation that yields the transaction keys. Immutable and thread-safe.
 */
public final class ServerSession {
    private final PrivateKey serverKey;

    private ServerSession(PrivateKey serverKey) {
        this.serverKey = serverKey;
    }

    /** A server holding {@code serverKey} (its scalar need not be extractable). */
    public static ServerSession of(PrivateKey serverKey) throws InvalidKeyMaterialException {
        Objects.requireNonNull(serverKey, "server private key");
        if (!(serverKey instanceof XECPrivateKey)) {
            throw new InvalidKeyMaterialException("the server key must be an X25519 XECPrivateKey, not "
                    + serverKey.getAlgorithm());
        }
        X25519.checkX25519((XECPrivateKey) serverKey);
        return new ServerSession(serverKey);
    }

    /**
     * Checks the request's header (length, REPLY flag, suite, in that order, before any
     * X25519) and derives its keys from its dh_param. Does not decrypt and does not move
     * {@code request}.
     *
     * @throws InvalidKeyMaterialException if dh_param is a low-order point
     */
    public ServerTransaction begin(ByteBuffer request) throws PssstException {
        int flags = Wire.checkRequestHeader(request);
        return begin(flags, Bytes.copyAt(request, request.position() + Wire.HEADER_LENGTH, Wire.DH_LENGTH));
    }

    /**
     * Derives the keys of a request known only by its dh_param (the JCA
     * {@code KeyAgreement "PSSST"} learns no more). The flags are taken from the request when
     * it is opened: they are the AEAD's additional data, so the tag vouches for them.
     *
     * @throws InvalidKeyMaterialException if dh_param is not 32 bytes or is a low-order point
     */
    public ServerTransaction begin(byte[] dhParam) throws InvalidKeyMaterialException {
        return begin(ServerTransaction.FLAGS_FROM_REQUEST, dhParam.clone());
    }

    /** Derives the keys of a request with the given flags (or FLAGS_FROM_REQUEST) and dh_param, which it keeps. */
    private ServerTransaction begin(int flags, byte[] dhParam) throws InvalidKeyMaterialException {
        if (dhParam.length != Wire.DH_LENGTH) {
            throw new InvalidKeyMaterialException("dh_param must be 32 bytes, not " + dhParam.length);
        }
        byte[] shared = X25519.agree(serverKey, X25519.publicKey(dhParam, 0));
        try {
            return new ServerTransaction(flags, dhParam, TransactionKeys.derive(dhParam, shared));
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    /**
     * The whole server side of a request: {@link #begin} then
     * {@link ServerTransaction#openRequest}. The message is written at {@code dst}'s
     * position. A request that is refused leaves no transaction behind: the one begun for it
     * is destroyed (its keys wiped) before the refusal is thrown.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has less room than
     *         {@code request.remaining() - 52} (checked before any work)
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only (checked before any work)
     */
    public ServerTransaction open(ByteBuffer request, ByteBuffer dst) throws PssstException {
        Bytes.checkWritable(dst, Math.max(0, request.remaining() - Wire.OVERHEAD));
        ServerTransaction tx = begin(request);
        try {
            tx.openRequest(request, dst);
            return tx;
        } catch (PssstException | RuntimeException e) {
            tx.destroy();
            throw e;
        }
    }

    /**
     * {@link #open} in place: on return {@code request}'s position and limit frame the
     * message. A refused request's transaction is destroyed.
     *
     * @throws java.nio.ReadOnlyBufferException if {@code request} is read-only (checked before any work)
     */
    public ServerTransaction openInPlace(ByteBuffer request) throws PssstException {
        if (request.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        ServerTransaction tx = begin(request);
        try {
            tx.openRequestInPlace(request);
            return tx;
        } catch (PssstException | RuntimeException e) {
            tx.destroy();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "ServerSession[X25519_AESGCM128]";
    }
}
