package io.pssst.jca;

import io.pssst.internal.Bytes;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * One PSSST transaction, as {@code Cipher "PSSST"} reports it after sealing a request
 * (client) or opening one (server):
 *
 * <pre>{@code
 * byte[] request = cipher.doFinal(message);
 * PssstTransactionSpec tx = cipher.getParameters().getParameterSpec(PssstTransactionSpec.class);
 * }</pre>
 *
 * <ul>
 *   <li>{@link #transactionKey()}: the transaction's {@code SecretKey} (algorithm
 *       {@code "PSSST"}). The client opens the reply with it
 *       ({@code init(DECRYPT_MODE, key)}), the server seals the reply with it
 *       ({@code init(ENCRYPT_MODE, key)}); once each, no X25519 repeated. Its
 *       {@code getEncoded()} and {@code getFormat()} return null: the AES key and nonces
 *       never leave the provider, so they cannot be reused.</li>
 *   <li>{@link #clientKey()}: the client public key the request authenticates with: on the
 *       server, the authenticated client (empty for an anonymous request); on the client, its
 *       own key (empty when anonymous).</li>
 *   <li>{@link #requestId()}: the request's 32-byte dh_param, which its reply repeats.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe (the key it refers to is itself thread-safe and single-use).
 * {@link #toString()} shows the request id and whether the request is authenticated, never
 * a secret.
 */
public final class PssstTransactionSpec implements AlgorithmParameterSpec {
    private final PssstTransactionKey transactionKey;
    private final Optional<XECPublicKey> clientKey;
    private final byte[] requestId;

    /**
     * The parameters of {@code transactionKey}, a key made by this provider's {@code Cipher}
     * or {@code KeyAgreement}.
     *
     * @param transactionKey a transaction key of this provider
     * @throws IllegalArgumentException if the key is not a {@link PssstTransactionKey}, is
     *         destroyed, or is a server's key whose request has not been opened yet (its
     *         client key is not known before the tag has verified)
     */
    public PssstTransactionSpec(SecretKey transactionKey) {
        Objects.requireNonNull(transactionKey, "transactionKey");
        if (!(transactionKey instanceof PssstTransactionKey)) {
            throw new IllegalArgumentException("not a PSSST transaction key: " + transactionKey.getAlgorithm()
                    + " " + transactionKey.getClass().getName());
        }
        PssstTransactionKey key = (PssstTransactionKey) transactionKey;
        if (key.isDestroyed()) {
            throw new IllegalArgumentException("the PSSST transaction key has been destroyed");
        }
        if (!key.clientKeyKnown()) {
            throw new IllegalArgumentException("the request of this PSSST transaction key has not been opened yet");
        }
        this.transactionKey = key;
        this.clientKey = key.clientKey();
        this.requestId = key.requestId();
    }

    /**
     * {@return the transaction's single-use key (algorithm {@code "PSSST"}, {@code getEncoded() ==
     * null})}
     */
    public SecretKey transactionKey() {
        return transactionKey;
    }

    /** {@return the client key the request authenticates with, or empty for an anonymous request} */
    public Optional<XECPublicKey> clientKey() {
        return clientKey;
    }

    /** {@return the request id: the request's 32-byte dh_param (a new copy each call)} */
    public byte[] requestId() {
        return requestId.clone();
    }

    @Override
    public String toString() {
        return "PssstTransactionSpec[request " + Bytes.hexPrefix(requestId) + ", "
                + (clientKey.isPresent() ? "authenticated" : "anonymous") + "]";
    }
}
