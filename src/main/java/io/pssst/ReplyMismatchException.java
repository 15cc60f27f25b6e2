package io.pssst;

/**
 * A datagram that is not the reply to this request: its suite, CLIENT_AUTH flag or request id (the DH parameter) differ from the request's, or the request was already answered (reply contexts are single-use).
 *
 * <p>Reason: {@link PssstException.Reason#REPLY_MISMATCH}.
 */
public final class ReplyMismatchException extends PssstException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal, described by {@code message}.
     *
     * @param message what was wrong; must not contain key material
     */
    public ReplyMismatchException(String message) {
        super(Reason.REPLY_MISMATCH, message);
    }

    /**
     * The refusal, described by {@code message}, with the failure that caused it.
     *
     * @param message what was wrong; must not contain key material
     * @param cause the underlying failure
     */
    public ReplyMismatchException(String message, Throwable cause) {
        super(Reason.REPLY_MISMATCH, message, cause);
    }
}
