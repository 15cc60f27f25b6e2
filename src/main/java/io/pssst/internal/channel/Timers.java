package io.pssst.internal.channel;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread that client channels share for sending calls' requests,
 * retransmissions and timeouts: a daemon platform thread, started on first use, never
 * interrupted. Tasks are short (a table update and at most one UDP send) and cancelled tasks
 * are removed at once.
 */
public final class Timers {
    private Timers() {
    }

    private static final class Holder {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "pssst-timer");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            return e;
        }
    }

    /** Runs {@code task} on the timer thread as soon as it is free. */
    public static void execute(Runnable task) {
        Holder.EXECUTOR.execute(task);
    }

    public static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return Holder.EXECUTOR.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }
}
