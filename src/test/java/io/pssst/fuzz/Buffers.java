package io.pssst.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Buffers laid out the way a careful caller's are not: the region of interest starts at an
 * offset and has filler before and after it, so a fuzz target can check that a call wrote
 * nowhere it should not, and left no plaintext behind when it refused.
 */
final class Buffers {
    /** What every byte outside the data starts as. */
    static final byte FILLER = (byte) 0x5a;

    private Buffers() {
    }

    /**
     * A buffer of {@code pad + data.length + room + pad} bytes, all {@link #FILLER} but
     * {@code data} at {@code pad}; position {@code pad}, limit {@code pad + data.length + room}.
     */
    static ByteBuffer place(byte[] data, int pad, int room, boolean direct) {
        int capacity = pad + data.length + room + pad;
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            b.put(i, FILLER);
        }
        b.put(pad, data);
        return b.position(pad).limit(pad + data.length + room);
    }

    /** The whole content of {@code b}, 0 to capacity, whatever its position and limit. */
    static byte[] all(ByteBuffer b) {
        byte[] out = new byte[b.capacity()];
        b.duplicate().clear().get(0, out);
        return out;
    }

    /** Bytes {@code from..to} of {@code b}'s content. */
    static byte[] range(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.duplicate().clear().get(from, out);
        return out;
    }

    /** Whether {@code before} and {@code after} agree outside {@code from..to}. */
    static boolean sameOutside(byte[] before, byte[] after, int from, int to) {
        from = Math.max(0, Math.min(from, before.length));
        to = Math.max(from, Math.min(to, before.length));
        return Arrays.equals(before, 0, from, after, 0, from)
                && Arrays.equals(before, to, before.length, after, to, after.length);
    }

    /**
     * Whether each byte of {@code after} in {@code from..to} is what {@code before} had there,
     * or zero: what a refusal may leave (zeroed plaintext), never anything else.
     */
    static boolean originalOrZero(byte[] before, byte[] after, int from, int to) {
        for (int i = from; i < to; i++) {
            if (after[i] != before[i] && after[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An AssertionError (a Jazzer finding) unless {@code condition}. */
    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
