package io.pssst.internal;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import io.pssst.PssstX25519;
import java.security.PrivateKey;
import java.security.interfaces.XECPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A server's private key and the first steps of every request: the header checks and the
 * one X25519 operation that yields the transaction keys; and the check of an authenticated
 * request's client proof, with a table for each client key the server was told to expect
 * ({@link #expectingClients}). Immutable and thread-safe.
 */
public final class ServerSession {
    /**
     * The most client keys a session prepares tables for (the rest are checked with the
     * ladder): each table takes {@value #TABLE_BYTES_APPROX} bytes or so, so this caps them
     * at about 32 MB.
     */
    public static final int MAX_CLIENT_TABLES = 1024;
    static final int TABLE_BYTES_APPROX = 31_000;

    private final Curve curve;
    /** The server's keys: the current one first, then previous ones still honoured (a rotation). */
    private final Curve.StaticKey[] serverKeys;
    /** Their public keys, raw, in the same order (to name them in statistics), made when first asked for. */
    private final byte[][] publicKeys;
    /** Requests opened with each key, in the same order. */
    private final AtomicLongArray opened;
    /** Tables of expected client keys C, by C: for the proof check X25519(e, C). Read-only. */
    private final Map<ByteBuffer, Curve.FixedPoint> clientTables;

    private ServerSession(Curve curve, Curve.StaticKey[] serverKeys, byte[][] publicKeys, AtomicLongArray opened,
            Map<ByteBuffer, Curve.FixedPoint> clientTables) {
        this.curve = curve;
        this.serverKeys = serverKeys;
        this.publicKeys = publicKeys;
        this.opened = opened;
        this.clientTables = clientTables;
    }

    /** {@link #of(PrivateKey, PssstX25519)} with the {@linkplain PssstX25519#configured() configured} X25519. */
    public static ServerSession of(PrivateKey serverKey) throws InvalidKeyMaterialException {
        return of(serverKey, PssstX25519.configured());
    }

    /** A server holding {@code serverKey} (its scalar need not be extractable: then the JDK's X25519 uses it). */
    public static ServerSession of(PrivateKey serverKey, PssstX25519 x25519) throws InvalidKeyMaterialException {
        return of(serverKey, List.of(), x25519);
    }

    /**
     * A server holding {@code current} and, during a key rotation, {@code previous} keys that
     * it still honours: a request is opened with the current key, and only if its tag fails
     * with each previous key in turn (one more X25519 per key tried).
     */
    public static ServerSession of(PrivateKey current, List<? extends PrivateKey> previous, PssstX25519 x25519)
            throws InvalidKeyMaterialException {
        Curve curve = Curve.of(x25519);
        return new ServerSession(curve, staticKeys(curve, current, previous), Map.of());
    }

    private ServerSession(Curve curve, Curve.StaticKey[] serverKeys, Map<ByteBuffer, Curve.FixedPoint> clientTables) {
        this(curve, serverKeys, new byte[serverKeys.length][], new AtomicLongArray(serverKeys.length), clientTables);
    }

    /**
     * This server with other keys (a key rotation): the same X25519 implementation and the
     * same tables of expected client keys (shared, not rebuilt), its own count of requests
     * opened per key, starting at zero. This session is unchanged: transactions begun with it
     * keep its keys.
     *
     * @throws InvalidKeyMaterialException if a key is not an X25519 private key
     * @throws NullPointerException if a key is null
     */
    public ServerSession withServerKeys(PrivateKey current, List<? extends PrivateKey> previous)
            throws InvalidKeyMaterialException {
        return new ServerSession(curve, staticKeys(curve, current, previous), clientTables);
    }

    private static Curve.StaticKey[] staticKeys(Curve curve, PrivateKey current, List<? extends PrivateKey> previous)
            throws InvalidKeyMaterialException {
        List<PrivateKey> all = new ArrayList<>();
        all.add(current);
        all.addAll(previous);
        Curve.StaticKey[] keys = new Curve.StaticKey[all.size()];
        for (int i = 0; i < keys.length; i++) {
            PrivateKey k = all.get(i);
            checkServerKey(k);
            keys[i] = curve.staticKey(k);
        }
        return keys;
    }

    /**
     * Refuses, without computing anything, a key that {@link #of} would refuse.
     *
     * @throws InvalidKeyMaterialException if it is not an X25519 private key
     * @throws NullPointerException if it is null
     */
    public static void checkServerKey(PrivateKey key) throws InvalidKeyMaterialException {
        Objects.requireNonNull(key, "server private key");
        if (!(key instanceof XECPrivateKey)) {
            throw new InvalidKeyMaterialException("the server key must be an X25519 XECPrivateKey, not "
                    + key.getAlgorithm());
        }
        X25519.checkX25519((XECPrivateKey) key);
    }

    /** How many keys this server holds: 1, plus its previous keys. */
    public int keyCount() {
        return serverKeys.length;
    }

    /**
     * The raw public key of key {@code i} (0: the current one): one X25519 the first time it
     * is asked for (not when the session is made: a JCA server initialises one per datagram).
     */
    public byte[] publicKey(int i) throws InvalidKeyMaterialException {
        byte[] p = publicKeys[i];
        if (p == null) {
            p = serverKeys[i].publicKey();
            publicKeys[i] = p; // a benign race: every thread computes the same value
        }
        return p.clone();
    }

    /** How many requests key {@code i} (0: the current one) has opened. */
    public long requestsOpened(int i) {
        return opened.get(i);
    }

    void countOpened(int keyIndex) {
        opened.incrementAndGet(keyIndex);
    }

    /** The transaction keys of {@code dhParam} under server key {@code i}: one X25519. */
    TransactionKeys keysFor(int i, byte[] dhParam) throws InvalidKeyMaterialException {
        byte[] shared = serverKeys[i].times(dhParam, 0);
        try {
            return TransactionKeys.derive(dhParam, shared, null, curve.primitives());
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    /**
     * This server, with tables prepared for the client keys it expects (an allow-list), so
     * that checking their proofs costs a fixed-base multiplication instead of a ladder. Only
     * with the built-in X25519 (the JDK's has no tables: the same session is returned), for
     * at most {@link #MAX_CLIENT_TABLES} keys (the first ones; the others are checked with the
     * ladder, as unknown keys are). Which keys are accepted is not decided here.
     */
    public ServerSession expectingClients(Collection<byte[]> clientKeys) {
        if (curve.kind() != PssstX25519.BUILTIN || clientKeys.isEmpty()) {
            return this;
        }
        Map<ByteBuffer, Curve.FixedPoint> tables = new HashMap<>();
        for (byte[] c : clientKeys) {
            if (tables.size() == MAX_CLIENT_TABLES) {
                break;
            }
            byte[] raw = c.clone();
            raw[X25519.KEY_LENGTH - 1] &= 0x7f; // as the proof's C is read
            tables.putIfAbsent(ByteBuffer.wrap(raw), curve.prepare(raw, false));
        }
        return new ServerSession(curve, serverKeys, publicKeys, opened, Map.copyOf(tables));
    }

    /** The X25519 implementation this session uses. */
    public PssstX25519 x25519() {
        return curve.kind();
    }

    /**
     * X25519(e, C) for the client proof C || e at {@code proof[0..64]}: through C's table if
     * the session expects C, else the ladder (or the JDK).
     */
    byte[] proofPoint(byte[] proof) throws InvalidKeyMaterialException {
        if (!clientTables.isEmpty()) {
            byte[] c = Arrays.copyOf(proof, X25519.KEY_LENGTH);
            c[X25519.KEY_LENGTH - 1] &= 0x7f;
            Curve.FixedPoint table = clientTables.get(ByteBuffer.wrap(c)); // C is public: a lookup may branch on it
            if (table != null) {
                byte[] e = Arrays.copyOfRange(proof, X25519.KEY_LENGTH, Wire.CLIENT_PROOF_LENGTH);
                try {
                    return table.times(new Curve.Ephemeral(e));
                } finally {
                    Arrays.fill(e, (byte) 0);
                }
            }
        }
        return curve.multiply(proof, X25519.KEY_LENGTH, proof, 0);
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
        return new ServerTransaction(this, flags, dhParam, keysFor(0, dhParam));
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
        return "ServerSession[X25519_AESGCM128, " + curve.kind().label() + "]";
    }
}
