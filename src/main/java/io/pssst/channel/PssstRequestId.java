package io.pssst.channel;

import io.pssst.internal.Bytes;
import io.pssst.internal.Wire;
import java.util.Arrays;

/**
 * The identity of one PSSST request: its 32-byte {@code dh_param}, which the server's reply
 * repeats. It is public on the wire (it is not a secret), so {@link #toString()} shows it.
 *
 * <p>Immutable value: two ids are equal when their bytes are equal.
 */
public final class PssstRequestId {
    private final byte[] bytes;

    PssstRequestId(byte[] dhParam) {
        if (dhParam.length != Wire.DH_LENGTH) {
            throw new IllegalArgumentException("a request id is 32 bytes, not " + dhParam.length);
        }
        this.bytes = dhParam;
    }

    /** {@return the 32 bytes of the id (a copy)} */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** {@return lower-case hex of the 32 bytes} */
    public String toHex() {
        return Bytes.hex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PssstRequestId && Arrays.equals(bytes, ((PssstRequestId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The first 16 hex digits, enough to tell requests apart in logs. */
    @Override
    public String toString() {
        return "PssstRequestId[" + toHex().substring(0, 16) + "…]";
    }
}
