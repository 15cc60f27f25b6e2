package io.pssst;

/**
 * The client-auth proof in a request (client key and ephemeral scalar) does not reproduce the request's DH parameter: the sender does not hold the client key it names.
 *
 * <p>Reason: {@link PssstException.Reason#CLIENT_AUTH_FAILED}.
 */
public final class ClientAuthFailedException extends PssstException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal, described by {@code message}.
     *
     * @param message what was wrong; must not contain key material
     */
    public ClientAuthFailedException(String message) {
        super(Reason.CLIENT_AUTH_FAILED, message);
    }

    /**
     * The refusal, described by {@code message}, with the failure that caused it.
     *
     * @param message what was wrong; must not contain key material
     * @param cause the underlying failure
     */
    public ClientAuthFailedException(String message, Throwable cause) {
        super(Reason.CLIENT_AUTH_FAILED, message, cause);
    }
}
