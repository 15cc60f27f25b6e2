package io.pssst.internal;

import io.pssst.InvalidKeyMaterialException;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;

/**
 * Requests an attacker can build without any client key, made with the engine's own steps
 * (test only; nothing here re-implements the protocol). The ephemeral scalar e is drawn from
 * the given random, dh_param = X25519(e, 9) and the keys come from X25519(e, S), exactly as
 * for an anonymous client, but the flags and the sealed payload are the caller's: so the
 * server decrypts the request and then meets whatever the payload holds.
 */
public final class Forge {
    private Forge() {
    }

    /**
     * A request to {@code server} with {@code flags} (e.g. {@link Wire#FLAG_CLIENT_AUTH}) whose
     * AES-GCM plaintext is exactly {@code payload}.
     */
    public static byte[] request(XECPublicKey server, int flags, byte[] payload, SecureRandom random)
            throws InvalidKeyMaterialException {
        byte[] e = new byte[X25519.KEY_LENGTH];
        random.nextBytes(e);
        PrivateKey ephemeral = X25519.privateKey(e);
        byte[] dhParam = X25519.publicOf(ephemeral);
        byte[] shared = X25519.agree(ephemeral, server);
        ClientTransaction tx = new ClientTransaction(flags, dhParam, TransactionKeys.derive(dhParam, shared));
        ByteBuffer out = ByteBuffer.allocate(tx.requestLength(payload.length));
        tx.sealRequest(ByteBuffer.wrap(payload), out);
        return out.array();
    }

    /** A client proof C || e followed by {@code message}: the payload of an authenticated request. */
    public static byte[] proofPayload(byte[] clientKey, byte[] ephemeral, byte[] message) {
        byte[] p = new byte[Wire.CLIENT_PROOF_LENGTH + message.length];
        System.arraycopy(clientKey, 0, p, 0, X25519.KEY_LENGTH);
        System.arraycopy(ephemeral, 0, p, X25519.KEY_LENGTH, X25519.KEY_LENGTH);
        System.arraycopy(message, 0, p, Wire.CLIENT_PROOF_LENGTH, message.length);
        return p;
    }
}
