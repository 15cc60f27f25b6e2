package io.pssst;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Base type of every protocol-level refusal: a datagram or key that PSSST will not accept.
 *
 * <p>Each condition named by the protocol has its own subclass, so callers can catch exactly
 * what they care about, and {@link #reason()} gives the protocol's name for it (the names the
 * interoperability vectors and other implementations use). The hierarchy is sealed: these
 * eight are all there is.
 *
 * <p>Messages say what was wrong with the input (lengths, flags, suite numbers) and never
 * contain key material, shared secrets or plaintext.
 */
public abstract sealed class PssstException extends GeneralSecurityException
        permits MalformedPacketException, NotRequestException, NotReplyException,
                UnsupportedSuiteException, DecryptFailedException, ClientAuthFailedException,
                ReplyMismatchException, InvalidKeyMaterialException {

    private static final long serialVersionUID = 1L;

    /** The protocol's refusal reasons, with the names PROTOCOL.md and the vectors use. */
    public enum Reason {
        /** Too short for its kind, or a client-auth payload shorter than the 64-byte proof. */
        MALFORMED("malformed"),
        /** A server was given a datagram whose REPLY flag is set. */
        NOT_REQUEST("not-request"),
        /** A client was given a datagram whose REPLY flag is clear. */
        NOT_REPLY("not-reply"),
        /** The cipher suite field names a suite this implementation does not support. */
        UNSUPPORTED_SUITE("unsupported-suite"),
        /** The AEAD tag did not verify: tampering, a wrong key, or a corrupted datagram. */
        DECRYPT_FAILED("decrypt-failed"),
        /** The client-auth proof in a request does not match its DH parameter. */
        CLIENT_AUTH_FAILED("client-auth-failed"),
        /** A reply that does not answer this request (suite, flags, or request id differ), or a second reply to it. */
        REPLY_MISMATCH("reply-mismatch"),
        /** A low-order X25519 point, an all-zero shared secret, or a key of the wrong length or type. */
        INVALID_KEY("invalid-key");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        /**
         * {@return the reason's name in PROTOCOL.md and the interoperability vectors, e.g. {@code
         * "decrypt-failed"}}
         */
        public String wireName() {
            return wireName;
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    /** The protocol's reason for the refusal. */
    private final Reason reason;

    PssstException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    PssstException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    /** {@return the protocol's name for this refusal} */
    public final Reason reason() {
        return reason;
    }
}
