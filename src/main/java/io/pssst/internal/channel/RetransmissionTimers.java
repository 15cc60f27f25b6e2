package io.pssst.internal.channel;

import io.pssst.channel.PssstRetryPolicy;
import io.pssst.internal.channel.RequestTable.Attempt;
import io.pssst.internal.channel.RequestSlot;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * The timers of a client's managed requests: each is sent again after its attempt's timeout,
 * as its {@link PssstRetryPolicy} says, until a reply comes, its attempts are used up, or its
 * deadline passes (then {@link RequestTable} times it out). The timers run on the shared
 * {@link Timers} thread; the table guards every request's state, and a request given up
 * meanwhile is simply not sent again.
 */
public final class RetransmissionTimers {
    /** Sends a copy of a request's datagram; called on the timer thread, outside every lock. */
    @FunctionalInterface
    public interface Resender {
        void resend(ByteBuffer datagram, SocketAddress target);
    }

    private final RequestTable table;
    private final PssstRetryPolicy policy;
    private final LongSupplier clock;
    private final Resender resender;

    public RetransmissionTimers(RequestTable table, PssstRetryPolicy policy, LongSupplier clock, Resender resender) {
        this.table = table;
        this.policy = policy;
        this.clock = clock;
        this.resender = resender;
    }

    /** Starts the timer of a managed request just activated, whose first attempt is being sent. */
    public void start(RequestSlot s, long generation, long deadline) {
        long now = clock.getAsLong();
        schedule(s, generation, Math.min(policy.timeoutOfAttemptNanos(1), deadline - now));
    }

    private void schedule(RequestSlot s, long generation, long delayNanos) {
        table.setTimer(s, generation, Timers.schedule(() -> fire(s, generation), delayNanos));
    }

    private void fire(RequestSlot s, long generation) {
        long now = clock.getAsLong();
        Attempt a = table.attempt(s, generation, now, policy.maxAttempts());
        if (a == null) {
            return; // answered, given up, or timed out just now
        }
        if (a.datagram() == null) {
            schedule(s, generation, a.deadline() - now); // every attempt sent: wait for the deadline
            return;
        }
        schedule(s, generation, Math.min(policy.timeoutOfAttemptNanos(a.attempts()), a.deadline() - now));
        resender.resend(a.datagram(), a.target());
    }
}
