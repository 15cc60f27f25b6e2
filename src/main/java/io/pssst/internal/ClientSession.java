package io.pssst.internal;

import io.pssst.InvalidKeyMaterialException;
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
 * not per request. {@link #begin} starts a transaction; any number of threads may call it.
 *
 * <p>CS is a bearer credential: with it and C anyone can forge this client's authenticated
 * requests. It is held as a raw array, from construction until {@link #destroy()}, which
 * wipes it (never under a {@code begin} in progress: see {@link Wipeable}); afterwards
 * {@code begin} is refused. The client's private key c is used once, to compute C and CS,
 * and not kept.
 */
public final class ClientSession extends Wipeable {
    private final XECPublicKey server;
    private final byte[] clientPublic;   // C, raw; null when anonymous
    private final XECPublicKey clientPoint; // C as a key, for dh_param = X25519(e, C)
    private final byte[] staticSecret;   // CS, raw; null when anonymous; wiped on destroy
    private final XECPublicKey staticPoint; // a view of staticSecret, for shared = X25519(e, CS)

    private ClientSession(XECPublicKey server, byte[] clientPublic, byte[] staticSecret) {
        this.server = server;
        this.clientPublic = clientPublic;
        this.clientPoint = clientPublic == null ? null : X25519.publicKey(clientPublic, 0);
        this.staticSecret = staticSecret;
        this.staticPoint = staticSecret == null ? null : new RawPublicKey(staticSecret);
    }

    /**
     * An anonymous client of the server with public key {@code server}. A low-order server
     * key is refused here, once (a comparison, no X25519), rather than by every request.
     */
    public static ClientSession anonymous(XECPublicKey server) throws InvalidKeyMaterialException {
        checkServerKey(server);
        return new ClientSession(server, null, null);
    }

    /**
     * A client that authenticates with {@code client} to the server with public key
     * {@code server}. Works with keys whose scalar is not extractable: C and CS are computed
     * through {@code KeyAgreement}, here, once. A low-order server key is refused first.
     */
    public static ClientSession authenticated(XECPublicKey server, PrivateKey client)
            throws InvalidKeyMaterialException {
        checkServerKey(server);
        checkClientKey(client);
        byte[] c = X25519.publicOf(client);
        return new ClientSession(server, c, X25519.agree(client, server));
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
        return Optional.ofNullable(clientPoint);
    }

    /** The client's raw public key C, or null when anonymous. */
    public byte[] clientPublicKey() {
        return clientPublic == null ? null : clientPublic.clone();
    }

    /** The server's public key S. */
    public XECPublicKey serverKey() {
        return server;
    }

    /**
     * Starts a transaction: draws exactly 32 bytes from {@code random} as the ephemeral
     * scalar e, computes dh_param and the shared secret, derives the keys. The request is
     * sealed afterwards, once, with {@link ClientTransaction#sealRequest}.
     *
     * @throws IllegalStateException if this session has been destroyed
     */
    public ClientTransaction begin(SecureRandom random) throws InvalidKeyMaterialException {
        if (!enter()) {
            throw new IllegalStateException("this PSSST client has been destroyed (closed): its keys are wiped");
        }
        byte[] e = new byte[X25519.KEY_LENGTH];
        random.nextBytes(e);
        byte[] dhParam = null;
        byte[] shared = null;
        try {
            PrivateKey ephemeral = X25519.privateKey(e);
            if (clientPublic == null) {
                dhParam = X25519.publicOf(ephemeral);
                shared = X25519.agree(ephemeral, server);
                return new ClientTransaction(0, dhParam, TransactionKeys.derive(dhParam, shared));
            }
            dhParam = X25519.agree(ephemeral, clientPoint);
            shared = X25519.agree(ephemeral, staticPoint);
            byte[] proof = new byte[Wire.CLIENT_PROOF_LENGTH];
            System.arraycopy(clientPublic, 0, proof, 0, X25519.KEY_LENGTH);
            System.arraycopy(e, 0, proof, X25519.KEY_LENGTH, X25519.KEY_LENGTH);
            return new ClientTransaction(Wire.FLAG_CLIENT_AUTH, dhParam,
                    TransactionKeys.derive(dhParam, shared, proof));
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
        if (staticSecret != null) {
            Arrays.fill(staticSecret, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "ClientSession[" + (authenticated() ? "authenticated as " + Bytes.hex(clientPublic) : "anonymous")
                + (closed() ? ", closed" : "") + "]";
    }
}
