package io.pssst.internal;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstX25519;
import io.pssst.internal.x25519.FixedBase;
import io.pssst.internal.x25519.X25519Builtin;
import java.security.PrivateKey;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * The engine's X25519, through one of two backends ({@link PssstX25519}): the JDK's
 * {@code KeyAgreement "X25519"} ({@link X25519}), or the built-in constant-time one
 * ({@code io.pssst.internal.x25519}) with tables for the points that do not change.
 *
 * <p>What a transaction needs, in the backend's own form: X25519(e, P) for a fresh scalar e
 * and a point P fixed for a session — 9, S, C, CS ({@link FixedPoint}, prepared once: a
 * table, or a JDK key object); X25519(s, u) for a static private key and a request's
 * dh_param ({@link StaticKey}); and X25519(e, C) for the scalar and point a request's client
 * proof carries ({@link #multiply}). Every result that is all zero (a low-order point) is
 * refused with {@link InvalidKeyMaterialException}, as RFC 7748 section 6.1 says, and wiped.
 */
public abstract sealed class Curve permits Curve.Jdk, Curve.Builtin {
    private static final Curve JDK = new Jdk();
    private static final Curve BUILTIN = new Builtin();

    /** The backend for {@code which}. */
    public static Curve of(PssstX25519 which) {
        return which == PssstX25519.BUILTIN ? BUILTIN : JDK;
    }

    /** Which backend this is. */
    public abstract PssstX25519 kind();

    /** How transactions keyed through this backend get SHA-256 and AES-GCM (see {@link Primitives}). */
    abstract Primitives primitives();

    /**
     * Prepares the point {@code u} (32 raw bytes) for X25519 with many scalars. A secret point
     * (an authenticated client's CS) is held in {@code u} itself, which the point then owns
     * and wipes in {@link FixedPoint#destroy()}; a public one is copied.
     */
    abstract FixedPoint prepare(byte[] u, boolean secret);

    /** The base point 9. */
    abstract FixedPoint base();

    /**
     * A static private key in this backend's form. The built-in backend copies the scalar of
     * a key that releases it ({@link XECPrivateKey#getScalar()}); a key that does not (a
     * hardware-backed one) is used through the JDK, whatever the backend.
     */
    abstract StaticKey staticKey(PrivateKey k);

    /**
     * X25519 of the 32-byte scalar and point at the given offsets, once (variable base).
     *
     * @throws InvalidKeyMaterialException if the result is all zero
     */
    abstract byte[] multiply(byte[] scalar, int scalarOff, byte[] u, int uOff) throws InvalidKeyMaterialException;

    /** A fresh scalar e, with the JDK key object made at most once for its two uses. */
    static final class Ephemeral {
        final byte[] raw;
        private PrivateKey jdk;

        Ephemeral(byte[] raw) {
            this.raw = raw;
        }

        PrivateKey jdk() throws InvalidKeyMaterialException {
            if (jdk == null) {
                jdk = X25519.privateKey(raw);
            }
            return jdk;
        }
    }

    /** A point fixed for a session. Thread-safe; {@link #destroy()} must not race a multiplication. */
    abstract static class FixedPoint {
        /** X25519(e, this point). */
        abstract byte[] times(Ephemeral e) throws InvalidKeyMaterialException;

        /** Wipes a secret point (no-op for a public one). */
        void destroy() {
        }

        /** Whether {@link #destroy()} has wiped this point (always false for a public one). */
        boolean wiped() {
            return false;
        }
    }

    /** A static private key: a server's s, or a client's c while its session is made. */
    abstract static class StaticKey {
        /** X25519(this key, the 32-byte point at {@code off}). */
        abstract byte[] times(byte[] u, int off) throws InvalidKeyMaterialException;

        /** X25519(this key, 9): its public key. */
        abstract byte[] publicKey() throws InvalidKeyMaterialException;

        /** Wipes a copy of the scalar this object made (no-op when it holds a JDK key). */
        void destroy() {
        }
    }

    /** Refuses (and wipes) an all-zero result; returns it otherwise. */
    static byte[] checked(byte[] result) throws InvalidKeyMaterialException {
        if (X25519.isAllZero(result)) {
            throw new InvalidKeyMaterialException("X25519 result is all zero: the peer's point has low order");
        }
        return result;
    }

    // ---- the JDK's X25519 ---------------------------------------------------------------------

    static final class Jdk extends Curve {
        private static final FixedPoint BASE = new JdkPoint(X25519.basePoint());

        @Override
        public PssstX25519 kind() {
            return PssstX25519.JDK;
        }

        @Override
        Primitives primitives() {
            return Primitives.PER_OPERATION;
        }

        @Override
        FixedPoint prepare(byte[] u, boolean secret) {
            return secret ? new JdkSecretPoint(u) : new JdkPoint(X25519.publicKey(u, 0));
        }

        @Override
        FixedPoint base() {
            return BASE;
        }

        @Override
        StaticKey staticKey(PrivateKey k) {
            return new JdkStaticKey(k);
        }

        @Override
        byte[] multiply(byte[] scalar, int scalarOff, byte[] u, int uOff) throws InvalidKeyMaterialException {
            return X25519.agree(X25519.privateKey(scalar, scalarOff), X25519.publicKey(u, uOff));
        }
    }

    private static class JdkPoint extends FixedPoint {
        private final java.security.PublicKey key;

        JdkPoint(java.security.PublicKey key) {
            this.key = key;
        }

        @Override
        byte[] times(Ephemeral e) throws InvalidKeyMaterialException {
            return X25519.agree(e.jdk(), key);
        }
    }

    /** CS for the JDK: its raw array seen through {@link RawPublicKey}, wiped on destroy. */
    private static final class JdkSecretPoint extends JdkPoint {
        private final byte[] raw;

        JdkSecretPoint(byte[] raw) {
            super(new RawPublicKey(raw));
            this.raw = raw;
        }

        @Override
        void destroy() {
            Arrays.fill(raw, (byte) 0);
        }

        @Override
        boolean wiped() {
            return X25519.isAllZero(raw);
        }
    }

    private static final class JdkStaticKey extends StaticKey {
        private final PrivateKey key;

        JdkStaticKey(PrivateKey key) {
            this.key = key;
        }

        @Override
        byte[] times(byte[] u, int off) throws InvalidKeyMaterialException {
            return X25519.agree(key, X25519.publicKey(u, off));
        }

        @Override
        byte[] publicKey() throws InvalidKeyMaterialException {
            return X25519.publicOf(key);
        }
    }

    // ---- the built-in X25519 -----------------------------------------------------------------

    static final class Builtin extends Curve {
        private static final FixedPoint BASE = new FixedPoint() {
            @Override
            byte[] times(Ephemeral e) throws InvalidKeyMaterialException {
                return checked(X25519Builtin.publicKey(e.raw));
            }
        };

        @Override
        public PssstX25519 kind() {
            return PssstX25519.BUILTIN;
        }

        @Override
        Primitives primitives() {
            return Primitives.PER_THREAD;
        }

        @Override
        FixedPoint prepare(byte[] u, boolean secret) {
            Optional<FixedBase> table = FixedBase.of(u);
            if (table.isPresent()) {
                if (secret) {
                    Arrays.fill(u, (byte) 0); // the table holds the point now
                }
                return new TablePoint(table.get());
            }
            return new LadderPoint(secret ? u : u.clone()); // no table (a twist point): the ladder, every time
        }

        @Override
        FixedPoint base() {
            return BASE;
        }

        @Override
        StaticKey staticKey(PrivateKey k) {
            Optional<byte[]> scalar = k instanceof XECPrivateKey ? ((XECPrivateKey) k).getScalar() : Optional.empty();
            return scalar.<StaticKey>map(BuiltinStaticKey::new).orElseGet(() -> new JdkStaticKey(k));
        }

        @Override
        byte[] multiply(byte[] scalar, int scalarOff, byte[] u, int uOff) throws InvalidKeyMaterialException {
            byte[] out = new byte[X25519.KEY_LENGTH];
            X25519Builtin.x25519(out, 0, scalar, scalarOff, u, uOff);
            return checked(out);
        }
    }

    private static final class TablePoint extends FixedPoint {
        private final FixedBase table;

        TablePoint(FixedBase table) {
            this.table = table;
        }

        @Override
        byte[] times(Ephemeral e) throws InvalidKeyMaterialException {
            return checked(table.multiply(e.raw));
        }

        @Override
        void destroy() {
            table.destroy();
        }

        @Override
        boolean wiped() {
            return table.isDestroyed();
        }
    }

    private static final class LadderPoint extends FixedPoint {
        private final byte[] u;

        LadderPoint(byte[] u) {
            this.u = u;
        }

        @Override
        byte[] times(Ephemeral e) throws InvalidKeyMaterialException {
            return checked(X25519Builtin.x25519(e.raw, u));
        }

        @Override
        void destroy() {
            Arrays.fill(u, (byte) 0);
        }

        @Override
        boolean wiped() {
            return X25519.isAllZero(u);
        }
    }

    private static final class BuiltinStaticKey extends StaticKey {
        private final byte[] scalar;

        BuiltinStaticKey(byte[] scalar) {
            this.scalar = scalar; // getScalar() returned a copy: ours to wipe
        }

        @Override
        byte[] times(byte[] u, int off) throws InvalidKeyMaterialException {
            byte[] out = new byte[X25519.KEY_LENGTH];
            X25519Builtin.x25519(out, 0, scalar, 0, u, off);
            return checked(out);
        }

        @Override
        byte[] publicKey() throws InvalidKeyMaterialException {
            return checked(X25519Builtin.publicKey(scalar));
        }

        @Override
        void destroy() {
            Arrays.fill(scalar, (byte) 0);
        }
    }
}
