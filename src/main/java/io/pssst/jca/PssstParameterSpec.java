package io.pssst.jca;

import java.security.interfaces.XECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parameters of the {@code PSSST} provider's {@code Cipher} and {@code KeyAgreement}
 * beside the key: for a client, how it seals its requests (anonymously, or authenticated with
 * its static X25519 key pair); for a server, the previous keys it still honours during a key
 * rotation.
 *
 * <pre>{@code
 * // client: Cipher.init(ENCRYPT_MODE, serverPublicKey, spec, random) or KeyAgreement.init(serverPublicKey, spec, random)
 * cipher.init(Cipher.ENCRYPT_MODE, serverPublicKey, PssstParameterSpec.authenticated(clientPrivateKey), random);
 * // server: Cipher.init(DECRYPT_MODE, currentPrivateKey, spec) or KeyAgreement.init(currentPrivateKey, spec)
 * cipher.init(Cipher.DECRYPT_MODE, newServerKey, PssstParameterSpec.previousServerKeys(List.of(oldServerKey)));
 * }</pre>
 *
 * <p>A spec of one role given with the other role's key is refused by {@code init} with an
 * {@link java.security.InvalidAlgorithmParameterException}; so is a key in the spec that is
 * not an X25519 key.
 *
 * <p>Immutable and thread-safe. It holds references to the private keys it is given (never a
 * copy of their scalars) and never prints them: {@link #toString()} says only which form it
 * is.
 */
public final class PssstParameterSpec implements AlgorithmParameterSpec {
    private static final PssstParameterSpec ANONYMOUS = new PssstParameterSpec(null, null);

    private final XECPrivateKey clientKey;
    /** The server form's previous keys; null for the client forms. */
    private final List<XECPrivateKey> previousServerKeys;

    private PssstParameterSpec(XECPrivateKey clientKey, List<XECPrivateKey> previousServerKeys) {
        this.clientKey = clientKey;
        this.previousServerKeys = previousServerKeys;
    }

    /** {@return requests without client authentication (the default when no spec is given)} */
    public static PssstParameterSpec anonymous() {
        return ANONYMOUS;
    }

    /**
     * Requests that prove the client holds {@code clientKey}. The provider computes the
     * static secret X25519(c, S) once, at {@code init}, not per request. The key's scalar need
     * not be extractable.
     *
     * @param clientKey the client's X25519 private key
     * @return the parameters
     * @throws NullPointerException if {@code clientKey} is null
     */
    public static PssstParameterSpec authenticated(XECPrivateKey clientKey) {
        return new PssstParameterSpec(Objects.requireNonNull(clientKey, "clientKey"), null);
    }

    /**
     * A server that, besides the current private key given to {@code init}, still opens
     * requests sealed for {@code previousKeys} (a key rotation: clients move from an old key
     * to the new one). A request is opened with the current key first, and only when its tag
     * fails with each previous key in turn, in this order: a request for an old key costs one
     * X25519 more per key tried before it, and a request for no key held (a forged one) one
     * per key held. An empty list is the same as no spec.
     *
     * @param previousKeys the previous server private keys, most recent first (copied)
     * @return the parameters
     * @throws NullPointerException if the list or one of its keys is null
     */
    public static PssstParameterSpec previousServerKeys(List<XECPrivateKey> previousKeys) {
        return new PssstParameterSpec(null, List.copyOf(previousKeys));
    }

    /** {@return the client's private key, or empty for anonymous requests} */
    public Optional<XECPrivateKey> clientKey() {
        return Optional.ofNullable(clientKey);
    }

    /** {@return whether requests carry client authentication} */
    public boolean isAuthenticated() {
        return clientKey != null;
    }

    /** {@return whether this is the server form, {@link #previousServerKeys(List)}} */
    public boolean isServer() {
        return previousServerKeys != null;
    }

    /** {@return the server form's previous keys, most recent first (unmodifiable); empty for the client forms} */
    public List<XECPrivateKey> previousServerKeys() {
        return previousServerKeys != null ? previousServerKeys : List.of();
    }

    @Override
    public String toString() {
        if (previousServerKeys != null) {
            return "PssstParameterSpec[server, " + previousServerKeys.size() + " previous key"
                    + (previousServerKeys.size() == 1 ? "" : "s") + "]";
        }
        return "PssstParameterSpec[" + (clientKey == null ? "anonymous" : "authenticated") + "]";
    }
}
