package io.pssst.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs N tasks that start together (behind one gate) on N threads and collects each one's
 * outcome: its result or what it threw. Bounded: a task that does not finish in time fails
 * the test instead of hanging it.
 */
public final class Race implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;
    private final ExecutorService pool;
    private final int threads;

    /** An outcome: a value or a throwable. */
    public record Outcome<T>(T value, Throwable thrown) {
        public boolean ok() {
            return thrown == null;
        }
    }

    /** A task that may throw anything. */
    @FunctionalInterface
    public interface Task<T> {
        T call(int thread) throws Exception;
    }

    public Race(int threads) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pssst-race");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} once on each thread, all released at once; outcomes in thread order. */
    public <T> List<Outcome<T>> run(Task<T> task) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Outcome<T>>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int thread = i;
            Callable<Outcome<T>> c = () -> {
                ready.countDown();
                go.await();
                try {
                    return new Outcome<>(task.call(thread), null);
                } catch (Exception | AssertionError e) {
                    return new Outcome<>(null, e);
                }
            };
            futures.add(pool.submit(c));
        }
        if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the race's threads did not start within " + TIMEOUT_SECONDS + " s");
        }
        go.countDown();
        List<Outcome<T>> out = new ArrayList<>();
        for (Future<Outcome<T>> f : futures) {
            try {
                out.add(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                out.add(new Outcome<>(null, e.getCause()));
            } catch (TimeoutException e) {
                throw new AssertionError("a racing task did not finish within " + TIMEOUT_SECONDS + " s", e);
            }
        }
        return out;
    }

    /** One step of a {@link #pairs} race, for round {@code round}. */
    @FunctionalInterface
    public interface Step {
        void run(int round) throws Exception;
    }

    /**
     * Runs {@code rounds} rounds of {@code a} against {@code b} on two threads: in each round
     * both wait at a spin barrier, then run their step for that round at the same moment, so
     * the two overlap as closely as the machine allows. Bounded: fails the test if the whole
     * race takes longer than the race timeout; a step that throws fails it too.
     */
    public static void pairs(int rounds, Step a, Step b) throws InterruptedException {
        java.util.concurrent.atomic.AtomicIntegerArray arrived = new java.util.concurrent.atomic.AtomicIntegerArray(rounds);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        Throwable[] failure = new Throwable[2];
        Thread[] threads = new Thread[2];
        Step[] steps = {a, b};
        for (int t = 0; t < 2; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int round = 0; round < rounds; round++) {
                        arrived.incrementAndGet(round);
                        while (arrived.get(round) < 2) {
                            if (System.nanoTime() > deadline || failure[1 - me] != null) {
                                throw new AssertionError("the race did not finish within " + TIMEOUT_SECONDS + " s");
                            }
                            Thread.onSpinWait();
                        }
                        steps[me].run(round);
                    }
                } catch (Throwable e) {
                    failure[me] = e;
                }
            }, "pssst-race-" + t);
            threads[t].setDaemon(true);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS + 5));
        }
        for (Throwable e : failure) {
            if (e != null) {
                throw new AssertionError("a racing step failed: " + e, e);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
