package io.pssst.internal.x25519;

import java.util.Objects;

/**
 * A built-in X25519 (RFC 7748), pure Java, constant time: the opt-in alternative to the JDK's
 * {@code KeyAgreement "X25519"}. Raw 32-byte strings in and out (scalars and u-coordinates
 * little-endian, as RFC 7748 encodes them); no JCA objects.
 *
 * <ul>
 *   <li>{@link #x25519}: X25519(k, u) for any u by the Montgomery ladder (RFC 7748 section 5).</li>
 *   <li>{@link #publicKey}: X25519(k, 9), from a table of the base point built once, lazily.</li>
 *   <li>{@link FixedBase#of}: a table for any other u that does not change (a server's key,
 *       a client's key, a static shared secret).</li>
 * </ul>
 *
 * <p>Results are exactly RFC 7748's, including the all-zero result for low-order points:
 * refusing it (RFC 7748 section 6.1) is the caller's business. Scalars are clamped on a copy:
 * caller arrays are only read, except {@code out}, which may be one of the inputs. Scratch
 * state is per thread (about 1.3 KB, allocated on a thread's first call) and wiped after every
 * call; calls allocate nothing else but the returned arrays of the allocating variants. The
 * first {@link #publicKey} call in the JVM builds the base point's table (about 30 KB).
 * All methods are safe to call from several threads at once. See docs/x25519.md.
 */
public final class X25519Builtin {
    /** The length of scalars, u-coordinates and results. */
    public static final int LENGTH = 32;

    private X25519Builtin() {
    }

    /** Built on first use, by the first thread that needs it (class initialisation is atomic). */
    private static final class Base {
        static final FixedBase TABLE = FixedBase.basePoint();
    }

    /**
     * Writes X25519(scalar, u) to {@code out}. Any u: on the curve or its twist,
     * non-canonical (u &ge; 2^255 - 19), bit 255 set (ignored), low order (all-zero result).
     *
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException if an array is not 32 bytes long
     */
    public static void x25519(byte[] out, byte[] scalar, byte[] u) {
        checkLength(out, "out");
        checkLength(scalar, "scalar");
        checkLength(u, "u");
        Ladder.x25519(out, 0, scalar, 0, u, 0);
    }

    /**
     * As {@link #x25519(byte[], byte[], byte[])}, with 32 bytes at the given offsets.
     *
     * @throws IndexOutOfBoundsException if a range is outside its array
     */
    public static void x25519(byte[] out, int outOff, byte[] scalar, int scalarOff, byte[] u, int uOff) {
        Objects.checkFromIndexSize(outOff, LENGTH, out.length);
        Objects.checkFromIndexSize(scalarOff, LENGTH, scalar.length);
        Objects.checkFromIndexSize(uOff, LENGTH, u.length);
        Ladder.x25519(out, outOff, scalar, scalarOff, u, uOff);
    }

    /** As {@link #x25519(byte[], byte[], byte[])}, returning a new array. */
    public static byte[] x25519(byte[] scalar, byte[] u) {
        byte[] out = new byte[LENGTH];
        x25519(out, scalar, u);
        return out;
    }

    /**
     * Writes X25519(scalar, 9), the public key of {@code scalar}, to {@code out}, using the
     * base point's table (built on the first call).
     *
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException if an array is not 32 bytes long
     */
    public static void publicKey(byte[] out, byte[] scalar) {
        Base.TABLE.multiply(out, scalar);
    }

    /** As {@link #publicKey(byte[], byte[])}, returning a new array. */
    public static byte[] publicKey(byte[] scalar) {
        return Base.TABLE.multiply(scalar);
    }

    static void checkLength(byte[] a, String name) {
        if (Objects.requireNonNull(a, name).length != LENGTH) {
            throw new IllegalArgumentException("X25519 " + name + " must be " + LENGTH + " bytes, not " + a.length);
        }
    }
}
