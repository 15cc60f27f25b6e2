package io.pssst.jca;

import java.security.interfaces.XECPublicKey;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.security.auth.Destroyable;

/**
 * The {@code SecretKey} (algorithm {@code "PSSST"}) of one PSSST transaction: a live,
 * single-use context of the protocol engine, not key bytes. {@code KeyAgreement "PSSST"}
 * makes one; {@code Cipher "PSSST"} makes one per request it seals or opens and hands it out
 * through {@code getParameters()} ({@link PssstTransactionSpec#transactionKey()}).
 *
 * <p>The provider's keys never release the transaction's AES key or nonces:
 * {@code getEncoded()} and {@code getFormat()} return null, they cannot be serialised, and
 * {@code toString()} shows only the public request id. Each protocol step a key allows runs
 * at most once (one request, one reply), so no nonce can be used twice through it;
 * {@link #destroy()} wipes its keys. Identity equality. Thread-safe.
 *
 * <p>Only keys made by this provider work with it: {@code Cipher "PSSST"} refuses any other
 * implementation of this interface with {@link java.security.InvalidKeyException}.
 */
public interface PssstTransactionKey extends SecretKey, Destroyable {
    /** The algorithm name of every transaction key. */
    String ALGORITHM = "PSSST";

    /** {@return the request id (the request's 32-byte dh_param), a copy} */
    byte[] requestId();

    /**
     * Whether {@link #clientKey()} is known: always for a client, for a server once the
     * request has been opened (the tag vouches for the CLIENT_AUTH flag only then).
     *
     * @return whether the client key is known
     */
    boolean clientKeyKnown();

    /**
     * The client's public key if the request is authenticated (server: the authenticated
     * client; client: its own key), otherwise empty.
     *
     * @return the client's public key, or empty
     * @throws IllegalStateException if not {@link #clientKeyKnown()}
     */
    Optional<XECPublicKey> clientKey();
}
