package io.pssst.fuzz;

import java.util.Arrays;

/**
 * A fuzz input read from the front: a few control bytes, then payloads. Reads past the end
 * give zeros and empty arrays, so every input, even the empty one, is a valid run. Simple on
 * purpose: a seed file is the control bytes followed by the bytes of a real datagram, written
 * by {@link SeedCorpus} and readable with {@code xxd}.
 */
final class FuzzInput {
    private final byte[] data;
    private int pos;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    /** The next byte, unsigned (0 past the end). */
    int u8() {
        return pos < data.length ? data[pos++] & 0xff : 0;
    }

    /** The next two bytes, big-endian, unsigned. */
    int u16() {
        return u8() << 8 | u8();
    }

    /** The next {@code n} bytes, or fewer at the end. */
    byte[] bytes(int n) {
        int k = Math.min(n, remaining());
        byte[] b = Arrays.copyOfRange(data, pos, pos + k);
        pos += k;
        return b;
    }

    /** A length-prefixed (u16) byte string. */
    byte[] chunk() {
        return bytes(u16());
    }

    /** Everything left. */
    byte[] rest() {
        return bytes(remaining());
    }

    int remaining() {
        return data.length - pos;
    }
}
