package io.pssst;

/**
 * The datagram names a cipher suite this implementation does not support (only suite 1, X25519_AESGCM128, exists).
 *
 * <p>Reason: {@link PssstException.Reason#UNSUPPORTED_SUITE}.
 */
public final class UnsupportedSuiteException extends PssstException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal, described by {@code message}.
     *
     * @param message what was wrong; must not contain key material
     */
    public UnsupportedSuiteException(String message) {
        super(Reason.UNSUPPORTED_SUITE, message);
    }

    /**
     * The refusal, described by {@code message}, with the failure that caused it.
     *
     * @param message what was wrong; must not contain key material
     * @param cause the underlying failure
     */
    public UnsupportedSuiteException(String message, Throwable cause) {
        super(Reason.UNSUPPORTED_SUITE, message, cause);
    }
}
