package io.pssst.internal.jca;

import io.pssst.PssstX25519;
import io.pssst.InvalidKeyMaterialException;
import io.pssst.internal.ClientSession;
import io.pssst.internal.ServerSession;
import io.pssst.internal.X25519;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;

/**
 * {@code KeyAgreement "PSSST"}: from one's own key and the peer's to the transaction's
 * {@code SecretKey "PSSST"}, which {@code Cipher "PSSST"} then uses once each way. The role
 * follows from the key given to {@code init}, exactly as for the {@code Cipher}:
 *
 * <pre>{@code
 * // server: one X25519 with the request's dh_param (one more per previous key tried, when the request is opened)
 * ka.init(serverPrivateKey);                 // or (serverPrivateKey, PssstParameterSpec.previousServerKeys(old))
 * ka.doPhase(dhParam, true);                 // dhParam as an XECPublicKey
 * SecretKey tx = ka.generateSecret("PSSST"); // open the request, then seal the reply
 *
 * // client: the server's key and the client's identity at init; no phase
 * ka.init(serverPublicKey, PssstParameterSpec.authenticated(clientPrivateKey), random);
 * SecretKey tx = ka.generateSecret("PSSST"); // seal the request, then open the reply
 * }</pre>
 *
 * <p>The client has no phase: its peer (the server's public key) is given to {@code init},
 * and its own ephemeral key is drawn inside {@code generateSecret}, 32 bytes from init's
 * random, a fresh one each call, so a caller can neither choose it nor repeat a nonce. The
 * raw {@code generateSecret()} forms are refused: the transaction's AES key and nonces never
 * leave the provider.
 */
final class PssstKeyAgreementSpi extends KeyAgreementSpi {
    private static final String NO_RAW_SECRET = "KeyAgreement PSSST does not release raw secrets: the AES key and "
            + "nonces of a PSSST transaction stay in the provider so that no nonce can be reused; "
            + "call generateSecret(\"PSSST\") and use the key with Cipher PSSST";

    private ClientSession client;
    private SecureRandom random;
    private ServerSession server;
    private PssstServerTransactionKey agreed;

    private final PssstX25519 x25519; // null: the system property's, at init

    /** For the provider's service. */
    PssstKeyAgreementSpi(PssstX25519 x25519) {
        this.x25519 = x25519;
    }

    @Override
    protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
        try {
            engineInit(key, null, random);
        } catch (InvalidAlgorithmParameterException e) {
            throw new InvalidKeyException(e.getMessage(), e); // not reached: no parameters were given
        }
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (client != null) {
            client.close(); // its CS is wiped now; keys already agreed keep their own
        }
        client = null;
        server = null;
        dropAgreed();
        if (key instanceof XECPublicKey) {
            client = Sessions.client((XECPublicKey) key, params, Sessions.x25519(x25519));
            this.random = Sessions.orDefault(random);
        } else if (key instanceof XECPrivateKey) {
            server = Sessions.server((XECPrivateKey) key, params, Sessions.x25519(x25519));
        } else {
            throw new InvalidKeyException("KeyAgreement PSSST takes the server's XECPublicKey (client) or the "
                    + "server's XECPrivateKey (server), not " + Sessions.describe(key));
        }
    }

    /**
     * Server only: the request's dh_param as an X25519 {@code XECPublicKey}; one phase.
     *
     * @throws InvalidKeyException if it is not an X25519 key or is a low-order point
     *         (cause: {@link InvalidKeyMaterialException}, reason {@code invalid-key})
     */
    @Override
    protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
        if (client != null) {
            throw new IllegalStateException("a PSSST client has no phase: the server's public key was given to "
                    + "init; call generateSecret(\"PSSST\")");
        }
        if (server == null) {
            throw new IllegalStateException("KeyAgreement PSSST is not initialised");
        }
        if (!lastPhase) {
            throw new IllegalStateException("KeyAgreement PSSST has a single phase: call doPhase(dhParam, true)");
        }
        if (agreed != null) {
            throw new IllegalStateException("doPhase was already called; call generateSecret(\"PSSST\") first");
        }
        if (!(key instanceof XECPublicKey)) {
            throw new InvalidKeyException("doPhase takes the request's dh_param as an X25519 XECPublicKey, not "
                    + Sessions.describe(key));
        }
        try {
            agreed = PssstServerTransactionKey.begin(server, X25519.raw((XECPublicKey) key));
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidKeyException("the request's dh_param is unusable: " + e.getMessage(), e);
        }
        return null;
    }

    /** Refused: see the class comment. */
    @Override
    protected byte[] engineGenerateSecret() {
        throw new UnsupportedOperationException(NO_RAW_SECRET);
    }

    /** Refused: see the class comment. */
    @Override
    protected int engineGenerateSecret(byte[] sharedSecret, int offset) {
        throw new UnsupportedOperationException(NO_RAW_SECRET);
    }

    /**
     * The transaction key ({@code algorithm} must be {@code "PSSST"}). A client gets a new
     * transaction each call (a fresh ephemeral key); a server gets the transaction of the last
     * {@code doPhase}, once.
     *
     * @throws InvalidKeyException (client) if the server's public key is a low-order point
     */
    @Override
    protected SecretKey engineGenerateSecret(String algorithm)
            throws IllegalStateException, NoSuchAlgorithmException, InvalidKeyException {
        if (!TransactionKey.ALGORITHM.equalsIgnoreCase(algorithm) && !"X25519_AESGCM128".equalsIgnoreCase(algorithm)) {
            throw new NoSuchAlgorithmException("KeyAgreement PSSST generates \"PSSST\" transaction keys only, not "
                    + algorithm);
        }
        if (client != null) {
            try {
                return PssstClientTransactionKey.begin(client, random);
            } catch (InvalidKeyMaterialException e) {
                throw new InvalidKeyException("the server's public key is unusable: " + e.getMessage(), e);
            }
        }
        if (server == null) {
            throw new IllegalStateException("KeyAgreement PSSST is not initialised");
        }
        if (agreed == null) {
            throw new IllegalStateException("call doPhase(dhParam, true) with the request's dh_param first");
        }
        PssstServerTransactionKey key = agreed;
        agreed = null;
        return key;
    }

    private void dropAgreed() {
        if (agreed != null) {
            agreed.destroy();
            agreed = null;
        }
    }
}
