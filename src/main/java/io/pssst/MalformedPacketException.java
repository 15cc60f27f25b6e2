package io.pssst;

/**
 * A datagram too short for its kind, or a client-auth request whose decrypted payload is shorter than the 64-byte client proof.
 *
 * <p>Reason: {@link PssstException.Reason#MALFORMED}.
 */
public final class MalformedPacketException extends PssstException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal, described by {@code message}.
     *
     * @param message what was wrong; must not contain key material
     */
    public MalformedPacketException(String message) {
        super(Reason.MALFORMED, message);
    }

    /**
     * The refusal, described by {@code message}, with the failure that caused it.
     *
     * @param message what was wrong; must not contain key material
     * @param cause the underlying failure
     */
    public MalformedPacketException(String message, Throwable cause) {
        super(Reason.MALFORMED, message, cause);
    }
}
