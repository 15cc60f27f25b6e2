package io.pssst;

/**
 * An X25519 key or point that cannot be used: a low-order point (the shared secret would be all zero, RFC 7748 section 6.1), a key of the wrong length, or a key that is not an X25519 key.
 *
 * <p>Reason: {@link PssstException.Reason#INVALID_KEY}.
 */
public final class InvalidKeyMaterialException extends PssstException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal, described by {@code message}.
     *
     * @param message what was wrong; must not contain key material
     */
    public InvalidKeyMaterialException(String message) {
        super(Reason.INVALID_KEY, message);
    }

    /**
     * The refusal, described by {@code message}, with the failure that caused it.
     *
     * @param message what was wrong; must not contain key material
     * @param cause the underlying failure
     */
    public InvalidKeyMaterialException(String message, Throwable cause) {
        super(Reason.INVALID_KEY, message, cause);
    }
}
