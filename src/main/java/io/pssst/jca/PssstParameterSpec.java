package io.pssst.jca;

import java.security.interfaces.XECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * How a PSSST client seals its requests: anonymously, or authenticated with its static X25519
 * key pair. Given to {@code Cipher.init(ENCRYPT_MODE, serverPublicKey, spec, random)} or to
 * {@code KeyAgreement.init(serverPublicKey, spec, random)} of the {@code PSSST} provider.
 *
 * <pre>{@code
 * cipher.init(Cipher.ENCRYPT_MODE, serverPublicKey, PssstParameterSpec.authenticated(clientPrivateKey), random);
 * }</pre>
 *
 * <p>Immutable and thread-safe. It holds a reference to the client's private key (never a
 * copy of its scalar) and never prints it: {@link #toString()} says only which form it is.
 * Whether the key really is an X25519 key is checked by {@code init}, which refuses anything
 * else with an {@link java.security.InvalidAlgorithmParameterException}.
 */
public final class PssstParameterSpec implements AlgorithmParameterSpec {
    private static final PssstParameterSpec ANONYMOUS = new PssstParameterSpec(null);

    private final XECPrivateKey clientKey;

    private PssstParameterSpec(XECPrivateKey clientKey) {
        this.clientKey = clientKey;
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
        return new PssstParameterSpec(Objects.requireNonNull(clientKey, "clientKey"));
    }

    /** {@return the client's private key, or empty for anonymous requests} */
    public Optional<XECPrivateKey> clientKey() {
        return Optional.ofNullable(clientKey);
    }

    /** {@return whether requests carry client authentication} */
    public boolean isAuthenticated() {
        return clientKey != null;
    }

    @Override
    public String toString() {
        return "PssstParameterSpec[" + (clientKey == null ? "anonymous" : "authenticated") + "]";
    }
}
