package io.pssst;

/**
 * A client was handed a datagram with the REPLY flag clear as the reply to its request.
 *
 * <p>Reason: {@link PssstException.Reason#NOT_REPLY}.
 */
public final class NotReplyException extends PssstException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal, described by {@code message}.
     *
     * @param message what was wrong; must not contain key material
     */
    public NotReplyException(String message) {
        super(Reason.NOT_REPLY, message);
    }

    /**
     * The refusal, described by {@code message}, with the failure that caused it.
     *
     * @param message what was wrong; must not contain key material
     * @param cause the underlying failure
     */
    public NotReplyException(String message, Throwable cause) {
        super(Reason.NOT_REPLY, message, cause);
    }
}
