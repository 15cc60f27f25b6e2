package io.pssst.testing;

import java.security.SecureRandom;

/**
 * A "random" source that yields the given bytes once, exactly, and fails the test if asked
 * for anything else: proof that a client draws exactly its 32-byte ephemeral scalar.
 */
public final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private transient byte[] bytes;

    public FixedRandom(byte[] bytes) {
        super(new byte[0]);
        this.bytes = bytes.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        if (bytes == null || out.length != bytes.length) {
            throw new AssertionError("expected one draw of " + (bytes == null ? 0 : bytes.length)
                    + " bytes, got a request for " + out.length);
        }
        System.arraycopy(bytes, 0, out, 0, out.length);
        bytes = null;
    }

    @Override
    public void setSeed(long seed) {
        // SecureRandom's constructor calls this; the bytes are fixed anyway.
    }
}
