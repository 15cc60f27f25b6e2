package io.pssst.internal;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstX25519;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A client's fixed keys for one server: the server's public key S and, for an authenticated
 * client, its public key C and the static secret CS = X25519(c, S), computed once here and
 * not per request, each prepared for its backend ({@link Curve}: with the built-in X25519, a
 * table per point, so a request needs no variable-base multiplication at all).
 * {@link #begin} starts a transaction; any number of threads may call it.
 *
 * <p>CS is a bearer credential: with it and C anyone can forge this client's authenticated
 * requests. It is held (as a raw array, or a table built from it) from construction until
 * {@link #close()}, which wipes it — never under a {@code begin} in progress (see
 * {@link Wipeable}); afterwards {@code begin} is refused. The client's private key c is used
 * once, to compute C and CS, and not kept.
 */
public final class ClientSession extends Wipeable {
    private final Curve curve;
    private final XECPublicKey server;
    private final byte[] clientPublic;   // C, raw; null when anonymous
    private final XECPublicKey clientKey; // C as a key object, for clientKey(); null when anonymous
    /** dh_param = X25519(e, first): 9 (anonymous) or C. */
    private final Curve.FixedPoint first;
    /** shared = X25519(e, second): S (anonymous) or CS (authenticated: secret, wiped on close). */
    private final Curve.FixedPoint second;

    private ClientSession(Curve curve, XECPublicKey server, byte[] clientPublic, Curve.FixedPoint first,
            Curve.FixedPoint second) {
        this.curve = curve;
        this.server = server;
        this.clientPublic = clientPublic;
        this.clientKey = clientPublic == null ? null : X25519.publicKey(clientPublic, 0);
        this.first = first;
        this.second = second;
    }

    /** {@link #anonymous(XECPublicKey, PssstX25519)} with the {@linkplain PssstX25519#configured() configured} X25519. */
    public static ClientSession anonymous(XECPublicKey server) throws InvalidKeyMaterialException {
        return anonymous(server, PssstX25519.configured());
    }

    /** {@link #authenticated(XECPublicKey, PrivateKey, PssstX25519)} with the configured X25519. */
    public static ClientSession authenticated(XECPublicKey server, PrivateKey client) throws InvalidKeyMaterialException {
        return authenticated(server, client, PssstX25519.configured());
    }

    /**
     * An anonymous client of the server with public key {@code server}. A low-order server
     * key is refused here, once (a comparison, no X25519), rather than by every request.
     */
    public static ClientSession anonymous(XECPublicKey server, PssstX25519 x25519) throws InvalidKeyMaterialException {
        checkServerKey(server);
        Curve curve = Curve.of(x25519);
        return new ClientSession(curve, server, null, curve.base(), curve.prepare(X25519.raw(server), false));
    }

    /**
     * A client that authenticates with {@code client} to the server with public key
     * {@code server}. Works with keys whose scalar is not extractable (through the JDK's
     * X25519 then, whatever the backend): C and CS are computed here, once. A low-order
     * server key is refused first.
     */
    public static ClientSession authenticated(XECPublicKey server, PrivateKey client, PssstX25519 x25519)
            throws InvalidKeyMaterialException {
        checkServerKey(server);
        checkClientKey(client);
        Curve curve = Curve.of(x25519);
        Curve.StaticKey c = curve.staticKey(client);
        try {
            byte[] clientPublic = c.publicKey();
            byte[] cs = c.times(X25519.raw(server), 0);
            return new ClientSession(curve, server, clientPublic, curve.prepare(clientPublic, false),
                    curve.prepare(cs, true));
        } finally {
            c.destroy();
        }
    }

    /** Refuses, without computing anything, a key that {@link #authenticated} would refuse as a client key. */
    public static void checkClientKey(PrivateKey client) throws InvalidKeyMaterialException {
        Objects.requireNonNull(client, "client private key");
        if (!(client instanceof XECPrivateKey)) {
            throw new InvalidKeyMaterialException("the client key must be an X25519 XECPrivateKey, not "
                    + client.getAlgorithm());
        }
        X25519.checkX25519((XECPrivateKey) client);
    }

    private static void checkServerKey(XECPublicKey server) throws InvalidKeyMaterialException {
        X25519.checkX25519(Objects.requireNonNull(server, "server public key"));
        X25519.checkNotLowOrder(server);
    }

    /** Whether requests carry client authentication. */
    public boolean authenticated() {
        return clientPublic != null;
    }

    /** The client's public key C, or empty when anonymous. */
    public Optional<XECPublicKey> clientKey() {
        return Optional.ofNullable(clientKey);
    }

    /** The client's raw public key C, or null when anonymous. */
    public byte[] clientPublicKey() {
        return clientPublic == null ? null : clientPublic.clone();
    }

    /** The server's public key S. */
    public XECPublicKey serverKey() {
        return server;
    }

    /** The X25519 implementation this session uses. */
    public PssstX25519 x25519() {
        return curve.kind();
    }

    /**
     * Starts a transaction: draws exactly 32 bytes from {@code random} as the ephemeral
     * scalar e, computes dh_param and the shared secret, derives the keys. The request is
     * sealed afterwards, once, with {@link ClientTransaction#sealRequest}.
     *
     * @throws IllegalStateException if this session has been closed
     */
    public ClientTransaction begin(SecureRandom random) throws InvalidKeyMaterialException {
        if (!enter()) {
            throw new IllegalStateException("this PSSST client has been destroyed (closed): its keys are wiped");
        }
        byte[] e = new byte[X25519.KEY_LENGTH];
        random.nextBytes(e);
        byte[] shared = null;
        try {
            Curve.Ephemeral ephemeral = new Curve.Ephemeral(e);
            byte[] dhParam = first.times(ephemeral);
            shared = second.times(ephemeral);
            if (clientPublic == null) {
                return new ClientTransaction(0, dhParam, TransactionKeys.derive(dhParam, shared, null, curve.primitives()));
            }
            byte[] proof = new byte[Wire.CLIENT_PROOF_LENGTH];
            System.arraycopy(clientPublic, 0, proof, 0, X25519.KEY_LENGTH);
            System.arraycopy(e, 0, proof, X25519.KEY_LENGTH, X25519.KEY_LENGTH);
            return new ClientTransaction(Wire.FLAG_CLIENT_AUTH, dhParam, TransactionKeys.derive(dhParam, shared, proof, curve.primitives()));
        } finally {
            Arrays.fill(e, (byte) 0);
            if (shared != null) {
                Arrays.fill(shared, (byte) 0);
            }
            exit();
        }
    }

    /**
     * Wipes CS (at once, or when the last {@link #begin} in progress ends); later calls of
     * {@code begin} are refused. Transactions already begun are not affected. Idempotent.
     */
    public void close() {
        destroy();
    }

    /** Whether {@link #close()} has been called. */
    public boolean closed() {
        return destroyed();
    }

    @Override
    protected void wipe() {
        second.destroy();
    }

    /** Whether CS has been wiped (for tests; false for an anonymous session, which holds no secret). */
    boolean staticSecretWiped() {
        return clientPublic != null && second.wiped();
    }

    @Override
    public String toString() {
        return "ClientSession[" + (authenticated() ? "authenticated as " + Bytes.hex(clientPublic) : "anonymous")
                + ", " + curve.kind().label() + (closed() ? ", closed" : "") + "]";
    }
}
