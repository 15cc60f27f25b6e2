package io.pssst.internal.x25519;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.internal.Bytes;
import io.pssst.internal.X25519;
import java.util.Arrays;

/**
 * The JDK's {@code KeyAgreement "X25519"} as the reference for the built-in one, through the
 * engine's JCA glue ({@link X25519}: raw bytes to key objects, bit 255 of u ignored). The JDK
 * refuses an all-zero result by throwing; here that outcome is {@code null}, and the built-in
 * X25519 must then give all zero (it computes RFC 7748's answer and leaves refusing to its
 * caller).
 */
final class JdkX25519 {
    private JdkX25519() {
    }

    /** X25519(k, u) by the JDK, or null when the JDK refuses (an all-zero result). */
    static byte[] agree(byte[] k, byte[] u) {
        try {
            return X25519.agree(X25519.privateKey(k), X25519.publicKey(u));
        } catch (InvalidKeyMaterialException e) {
            return null;
        }
    }

    /**
     * Null if {@code builtin}, the built-in X25519(k, u), is the JDK's outcome for (k, u);
     * otherwise what differs, for a failure list. Test inputs only: k and u are printed.
     */
    static String mismatch(String path, byte[] k, byte[] u, byte[] builtin) {
        return mismatch(path, k, u, builtin, agree(k, u));
    }

    /** As {@link #mismatch(String, byte[], byte[], byte[])}, with the JDK's outcome given. */
    static String mismatch(String path, byte[] k, byte[] u, byte[] builtin, byte[] jdk) {
        if (jdk == null ? X25519.isAllZero(builtin) : Arrays.equals(jdk, builtin)) {
            return null;
        }
        return path + ": k " + Bytes.hex(k) + ", u " + Bytes.hex(u) + ": built-in " + Bytes.hex(builtin)
                + ", JDK " + (jdk == null ? "refused (all-zero result)" : Bytes.hex(jdk));
    }
}
