package io.pssst.internal.jca;

import io.pssst.PssstException;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;

/**
 * How a {@link PssstException} from opening a datagram surfaces through {@code Cipher}: the
 * PSSST exception is always the cause, so {@code ((PssstException) e.getCause()).reason()}
 * gives the protocol's reason.
 *
 * <ul>
 *   <li>{@link AEADBadTagException}: the datagram is well formed but not authentic for this
 *       key: {@code decrypt-failed}, {@code client-auth-failed}, {@code reply-mismatch}.</li>
 *   <li>{@link BadPaddingException} (the parent of the above): the datagram is not one of the
 *       expected kind at all: {@code malformed}, {@code not-request}, {@code not-reply},
 *       {@code unsupported-suite}, {@code invalid-key} (a low-order dh_param).</li>
 * </ul>
 * Catching {@code BadPaddingException} therefore drops every refused datagram.
 */
final class Refusals {
    private Refusals() {
    }

    static BadPaddingException toJca(PssstException e) {
        String message = "PSSST refused the datagram (" + e.reason().wireName() + "): " + e.getMessage();
        BadPaddingException jca;
        switch (e.reason()) {
            case DECRYPT_FAILED:
            case CLIENT_AUTH_FAILED:
            case REPLY_MISMATCH:
                jca = new AEADBadTagException(message);
                break;
            default:
                jca = new BadPaddingException(message);
                break;
        }
        jca.initCause(e);
        return jca;
    }
}
