package io.pssst.channel;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client channel retransmits a request that gets no reply: the same datagram again
 * (the server may answer either copy), after a timeout that grows by {@code backoff} each
 * attempt up to {@code maxTimeout}, at most {@code maxAttempts} times in all.
 *
 * <p>Attempt 1 is sent at once; attempt {@code k+1} is sent {@link #timeoutOfAttempt(int)
 * timeoutOfAttempt(k)} after attempt {@code k}. Without a deadline of its own, a request
 * times out {@link #totalTimeout()} after its first send (the last attempt's timeout
 * included). Immutable.
 */
public final class PssstRetryPolicy {
    private static final PssstRetryPolicy DEFAULTS =
            new PssstRetryPolicy(Duration.ofMillis(500), 2.0, Duration.ofSeconds(4), 4);

    /**
     * The longest wait the channels compute with, about 73 years: a longer {@code Duration}
     * (up to {@code ChronoUnit.FOREVER}) is taken as this, which in practice means no limit,
     * and keeps every deadline and sum of timeouts far from {@code long} overflow.
     */
    static final long LONGEST_NANOS = Long.MAX_VALUE / 4;

    private final Duration initialTimeout;
    private final double backoff;
    private final Duration maxTimeout;
    private final int maxAttempts;
    private final long initialNanos;
    private final long maxNanos;

    private PssstRetryPolicy(Duration initialTimeout, double backoff, Duration maxTimeout, int maxAttempts) {
        this.initialTimeout = initialTimeout;
        this.backoff = backoff;
        this.maxTimeout = maxTimeout;
        this.maxAttempts = maxAttempts;
        this.initialNanos = nanos(initialTimeout);
        this.maxNanos = nanos(maxTimeout);
    }

    /** {@code d} in nanoseconds, at most {@link #LONGEST_NANOS} (where {@code toNanos} would overflow, or nearly). */
    static long nanos(Duration d) {
        return d.compareTo(Duration.ofNanos(LONGEST_NANOS)) >= 0 ? LONGEST_NANOS : d.toNanos();
    }

    /** {@return 500 ms, doubling, at most 4 s per attempt, 4 attempts: a request gives up after 7.5 s} */
    public static PssstRetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A policy.
     *
     * @param initialTimeout how long to wait for a reply to the first attempt (&gt; 0)
     * @param backoff factor applied to the timeout after each attempt (&ge; 1)
     * @param maxTimeout cap on any one attempt's timeout (&ge; initialTimeout)
     * @param maxAttempts how many times the datagram is sent in all (1 to 64; 1 = no retransmission)
     * @return the policy
     * @throws IllegalArgumentException if a value is out of range (a timeout longer than about
     *         73 years is not: it is taken as 73 years, no limit in practice)
     */
    public static PssstRetryPolicy of(Duration initialTimeout, double backoff, Duration maxTimeout, int maxAttempts) {
        Objects.requireNonNull(initialTimeout, "initialTimeout");
        Objects.requireNonNull(maxTimeout, "maxTimeout");
        if (initialTimeout.isNegative() || initialTimeout.isZero()) {
            throw new IllegalArgumentException("initialTimeout must be positive: " + initialTimeout);
        }
        if (!(backoff >= 1.0) || Double.isInfinite(backoff)) {
            throw new IllegalArgumentException("backoff must be a finite factor >= 1: " + backoff);
        }
        if (maxTimeout.compareTo(initialTimeout) < 0) {
            throw new IllegalArgumentException("maxTimeout " + maxTimeout + " is below initialTimeout " + initialTimeout);
        }
        if (maxAttempts < 1 || maxAttempts > 64) {
            throw new IllegalArgumentException("maxAttempts must be 1 to 64: " + maxAttempts);
        }
        return new PssstRetryPolicy(initialTimeout, backoff, maxTimeout, maxAttempts);
    }

    /**
     * One attempt, no retransmission: the request times out after {@code timeout}.
     *
     * @param timeout how long to wait for the one reply (positive)
     * @return the policy
     */
    public static PssstRetryPolicy noRetransmission(Duration timeout) {
        return of(timeout, 1.0, timeout, 1);
    }

    /** {@return how long to wait for a reply to the first attempt} */
    public Duration initialTimeout() {
        return initialTimeout;
    }

    /** {@return the factor each attempt's timeout is multiplied by for the next attempt (&ge; 1)} */
    public double backoff() {
        return backoff;
    }

    /** {@return the cap on any one attempt's timeout} */
    public Duration maxTimeout() {
        return maxTimeout;
    }

    /** {@return how many times a request's datagram is sent in all, the first time included} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * How long to wait after attempt {@code attempt} (1-based) before the next one, in nanoseconds.
     *
     * @param attempt the attempt, from 1
     * @return the timeout in nanoseconds
     */
    public long timeoutOfAttemptNanos(int attempt) {
        double t = initialNanos * Math.pow(backoff, Math.max(0, attempt - 1));
        return t >= maxNanos ? maxNanos : (long) t;
    }

    /**
     * How long to wait after attempt {@code attempt} (1-based) before the next one.
     *
     * @param attempt the attempt, from 1
     * @return the timeout
     */
    public Duration timeoutOfAttempt(int attempt) {
        return Duration.ofNanos(timeoutOfAttemptNanos(attempt));
    }

    /** {@return the sum of every attempt's timeout: when a request without a deadline of its own gives up} */
    public Duration totalTimeout() {
        return Duration.ofNanos(totalTimeoutNanos());
    }

    long totalTimeoutNanos() {
        long sum = 0;
        for (int k = 1; k <= maxAttempts; k++) {
            sum = Math.min(LONGEST_NANOS, sum + timeoutOfAttemptNanos(k)); // each term is at most LONGEST_NANOS
        }
        return sum;
    }

    @Override
    public String toString() {
        return "PssstRetryPolicy[initial=" + initialTimeout + ", backoff=" + backoff + ", max=" + maxTimeout
                + ", attempts=" + maxAttempts + "]";
    }
}
