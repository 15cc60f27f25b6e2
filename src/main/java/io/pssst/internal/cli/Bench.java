package io.pssst.internal.cli;

import io.pssst.PssstClient;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator behind {@code pssst bench} and the demo's throughput run: N client
 * threads, each with its own socket, doing request/reply until the time is up or the
 * requests are spent.
 */
final class Bench {
    /**
     * @param clients concurrent clients
     * @param durationMillis how long to run (ignored when {@code requests > 0})
     * @param requests total requests, or 0 to run for the duration
     * @param size message size in bytes
     * @param timeoutMillis how long a request waits for its reply
     */
    record Plan(int clients, long durationMillis, long requests, int size, int timeoutMillis) {
    }

    /**
     * What happened.
     *
     * @param plan the plan
     * @param elapsedNanos wall time
     * @param latencies latency of every completed request
     * @param timeouts requests without a reply in time
     * @param refusals replies that failed to open (tampered, wrong request)
     * @param errors socket errors
     */
    record Result(Plan plan, long elapsedNanos, LatencyHistogram latencies, long timeouts, long refusals, long errors) {
        long completed() {
            return latencies.count();
        }

        double perSecond() {
            return elapsedNanos == 0 ? 0 : completed() * 1e9 / elapsedNanos;
        }

        /** A few lines for people. */
        String text(boolean authenticated) {
            LatencyHistogram h = latencies;
            return String.format(Locale.ROOT, """
                    clients    %d (%s), %d-byte messages, %.1f s
                    requests   %d completed, %.0f req/s
                    latency    p50 %s, p90 %s, p99 %s, max %s
                    timeouts   %d
                    refusals   %d
                    """, plan.clients(), authenticated ? "authenticated" : "anonymous", plan.size(), elapsedNanos / 1e9,
                    completed(), perSecond(), SvgChart.micros(h.percentile(50)), SvgChart.micros(h.percentile(90)),
                    SvgChart.micros(h.percentile(99)), SvgChart.micros(h.max()), timeouts, refusals)
                    + (errors > 0 ? "errors     " + errors + "\n" : "");
        }

        /** The same as one JSON object. */
        String json(boolean authenticated) {
            LatencyHistogram h = latencies;
            return String.format(Locale.ROOT, "{\"clients\":%d,\"authenticated\":%s,\"size\":%d,\"seconds\":%.3f,"
                    + "\"requests\":%d,\"requests_per_second\":%.1f,\"latency_us\":{\"p50\":%d,\"p90\":%d,\"p99\":%d,"
                    + "\"max\":%d},\"timeouts\":%d,\"refusals\":%d,\"errors\":%d}",
                    plan.clients(), authenticated, plan.size(), elapsedNanos / 1e9, completed(), perSecond(),
                    h.percentile(50), h.percentile(90), h.percentile(99), h.max(), timeouts, refusals, errors);
        }
    }

    /** Live counters, readable while the run goes on (for a progress line). */
    static final class Progress {
        final LongAdder completed = new LongAdder();
        final LongAdder failed = new LongAdder();
    }

    private Bench() {
    }

    /** Runs the plan against {@code server}; blocks until done. */
    static Result run(PssstClient client, InetSocketAddress server, Plan plan, Progress progress)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + plan.durationMillis() * 1_000_000L;
        AtomicLong budget = new AtomicLong(plan.requests() > 0 ? plan.requests() : Long.MAX_VALUE);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < plan.clients(); i++) {
            Worker w = new Worker(client, server, plan, progress, budget, plan.requests() > 0 ? Long.MAX_VALUE : deadline);
            w.setName("pssst-bench-" + i);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        LatencyHistogram all = new LatencyHistogram();
        long timeouts = 0;
        long refusals = 0;
        long errors = 0;
        for (Worker w : workers) {
            w.join();
            all.add(w.latencies);
            timeouts += w.timeouts;
            refusals += w.refusals;
            errors += w.errors;
        }
        return new Result(plan, System.nanoTime() - start, all, timeouts, refusals, errors);
    }

    private static final class Worker extends Thread {
        private final PssstClient client;
        private final InetSocketAddress server;
        private final Plan plan;
        private final Progress progress;
        private final AtomicLong budget;
        private final long deadline;
        final LatencyHistogram latencies = new LatencyHistogram();
        long timeouts;
        long refusals;
        long errors;

        Worker(PssstClient client, InetSocketAddress server, Plan plan, Progress progress, AtomicLong budget, long deadline) {
            this.client = client;
            this.server = server;
            this.plan = plan;
            this.progress = progress;
            this.budget = budget;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            byte[] message = new byte[plan.size()];
            new SecureRandom().nextBytes(message);
            try (RequestClient rc = new RequestClient(client, server)) {
                while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    try {
                        rc.call(message, plan.timeoutMillis(), 0);
                        latencies.record((System.nanoTime() - t0) / 1_000);
                        progress.completed.increment();
                    } catch (RequestClient.TimeoutException e) {
                        timeouts++;
                        progress.failed.increment();
                    }
                }
                refusals = rc.refusedReplies();
            } catch (Exception e) {
                errors++;
                progress.failed.increment();
            }
        }
    }
}
