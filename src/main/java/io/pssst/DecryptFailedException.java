package io.pssst;

/**
 * The AEAD tag of a request or reply did not verify: the datagram was altered (header, DH
 * parameter, ciphertext or tag), truncated or extended, or sealed for another key. No
 * plaintext is released.
 *
 * <p>Reason: {@link PssstException.Reason#DECRYPT_FAILED}. Through the JCA {@code Cipher}
 * this condition surfaces as a {@link javax.crypto.AEADBadTagException} whose cause is an
 * instance of this class.
 */
public final class DecryptFailedException extends PssstException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal, described by {@code message}.
     *
     * @param message what was wrong; must not contain key material
     */
    public DecryptFailedException(String message) {
        super(Reason.DECRYPT_FAILED, message);
    }

    /**
     * The refusal, described by {@code message}, with the failure that caused it.
     *
     * @param message what was wrong; must not contain key material
     * @param cause the underlying failure
     */
    public DecryptFailedException(String message, Throwable cause) {
        super(Reason.DECRYPT_FAILED, message, cause);
    }
}
