package io.pssst.testing;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * A reproducible, NOT secure "SecureRandom" for tests: every draw comes from a
 * {@link SplittableRandom} seeded by the test, so a failing run can be replayed. Optionally
 * it refuses to be drawn from at all, to prove an operation was refused before any work.
 */
public final class SeededRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SplittableRandom random;
    private final boolean refuse;
    private int draws;

    private SeededRandom(long seed, boolean refuse) {
        super(new byte[0]);
        this.random = new SplittableRandom(seed);
        this.refuse = refuse;
    }

    /** Draws reproducibly from {@code seed}. */
    public static SeededRandom of(long seed) {
        return new SeededRandom(seed, false);
    }

    /** Fails the test (AssertionError) on any draw. */
    public static SeededRandom refusingDraws() {
        return new SeededRandom(0, true);
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        if (refuse) {
            throw new AssertionError("randomness was drawn (" + out.length + " bytes) although the operation "
                    + "should have been refused before any work");
        }
        draws++;
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
    }

    /** How many times {@link #nextBytes} was called. */
    public synchronized int draws() {
        return draws;
    }

    @Override
    public void setSeed(long seed) {
        // SecureRandom's constructor calls this; the seed is fixed at construction.
    }
}
