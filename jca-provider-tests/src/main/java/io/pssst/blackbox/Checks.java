package io.pssst.blackbox;

/** A failed check ends the application with exit status 1 and the reason on stderr. */
final class Checks {

    private Checks() {
    }

    static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }
}
