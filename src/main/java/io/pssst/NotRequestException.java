package io.pssst;

/**
 * A server was handed a datagram with the REPLY flag set.
 *
 * <p>Reason: {@link PssstException.Reason#NOT_REQUEST}.
 */
public final class NotRequestException extends PssstException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal, described by {@code message}.
     *
     * @param message what was wrong; must not contain key material
     */
    public NotRequestException(String message) {
        super(Reason.NOT_REQUEST, message);
    }

    /**
     * The refusal, described by {@code message}, with the failure that caused it.
     *
     * @param message what was wrong; must not contain key material
     * @param cause the underlying failure
     */
    public NotRequestException(String message, Throwable cause) {
        super(Reason.NOT_REQUEST, message, cause);
    }
}
