package io.pssst.internal;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;

/** Small byte helpers shared by the engine, the channel and the CLI. */
public final class Bytes {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Bytes() {
    }

    /** Constant-time comparison of {@code expected} with the bytes of {@code b} at absolute {@code index}. */
    public static boolean equalsAt(ByteBuffer b, int index, byte[] expected) {
        int acc = 0;
        for (int i = 0; i < expected.length; i++) {
            acc |= b.get(index + i) ^ expected[i];
        }
        return acc == 0;
    }

    /** Copies {@code length} bytes of {@code b} at absolute {@code index}. */
    public static byte[] copyAt(ByteBuffer b, int index, int length) {
        byte[] out = new byte[length];
        b.get(index, out);
        return out;
    }

    /** Zeroes {@code length} bytes of {@code b} from absolute {@code index}. */
    public static void wipe(ByteBuffer b, int index, int length) {
        for (int i = 0; i < length; i++) {
            b.put(index + i, (byte) 0);
        }
    }

    /** Refuses, before any work, an output buffer that is read-only or too small. */
    public static void checkWritable(ByteBuffer out, int needed) {
        if (out.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (out.remaining() < needed) {
            BufferOverflowException e = new BufferOverflowException();
            e.initCause(new IllegalArgumentException("output buffer has " + out.remaining()
                    + " bytes remaining; " + needed + " are needed"));
            throw e;
        }
    }

    /** Lower-case hex. */
    public static String hex(byte[] b) {
        char[] c = new char[2 * b.length];
        for (int i = 0; i < b.length; i++) {
            c[2 * i] = HEX[(b[i] >> 4) & 0xf];
            c[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(c);
    }

    /**
     * The first 8 bytes in hex and an ellipsis, e.g. {@code "0123456789abcdef…"}: how
     * toString shows a public request id. Never use it on a secret.
     */
    public static String hexPrefix(byte[] b) {
        return hex(java.util.Arrays.copyOf(b, Math.min(8, b.length))) + "…";
    }

    /**
     * Parses hex (either case, no separators): ASCII {@code 0-9a-fA-F} only.
     *
     * @throws IllegalArgumentException naming the position of the first bad character
     */
    public static byte[] unhex(CharSequence s) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has an odd number of digits (" + s.length() + ")");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((digit(s, 2 * i) << 4) | digit(s, 2 * i + 1));
        }
        return out;
    }

    private static int digit(CharSequence s, int i) {
        char c = s.charAt(i);
        // ASCII only: Character.digit also takes other scripts' digits (Arabic-Indic, fullwidth...).
        int d = c < 0x80 ? Character.digit(c, 16) : -1;
        if (d < 0) {
            throw new IllegalArgumentException("not a hex digit at position " + i);
        }
        return d;
    }
}
