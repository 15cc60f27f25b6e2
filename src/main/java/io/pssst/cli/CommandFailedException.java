package io.pssst.cli;

/**
 * The command could not do its job (missing file, bad key, timeout, refused reply): exit
 * status 1. The message is the one line the user sees; it never contains key material.
 */
final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }

    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
