package io.pssst.cli;

import io.pssst.channel.PssstChannelStats;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.channel.PssstTimeoutException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator behind {@code pssst bench} and the demo's throughput run: N client
 * threads, each with its own {@link PssstClientChannel} (its own socket), doing blocking
 * {@code call}s until the time is up or the requests are spent.
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
     * @param refusals datagrams the clients refused (tampered, not a reply, reply to no request of theirs)
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

    /**
     * Runs the plan against {@code server}; blocks until done. Each client is a channel from
     * {@code builder}, whose retry policy is set here to one attempt of the plan's timeout.
     */
    static Result run(PssstClientChannel.Builder builder, InetSocketAddress server, Plan plan, Progress progress)
            throws InterruptedException, IOException {
        builder.retryPolicy(PssstRetryPolicy.noRetransmission(Duration.ofMillis(plan.timeoutMillis())));
        long start = System.nanoTime();
        long deadline = plan.requests() > 0 ? Long.MAX_VALUE : start + plan.durationMillis() * 1_000_000L;
        AtomicLong budget = new AtomicLong(plan.requests() > 0 ? plan.requests() : Long.MAX_VALUE);
        List<Worker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < plan.clients(); i++) {
                workers.add(new Worker(builder.open(), server, plan, progress, budget, deadline));
            }
        } catch (IOException e) {
            for (Worker w : workers) {
                w.channel.close();
            }
            throw e;
        }
        for (int i = 0; i < workers.size(); i++) {
            workers.get(i).setName("pssst-bench-" + i);
            workers.get(i).setDaemon(true);
            workers.get(i).start();
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

    /** One client: its own channel (its own socket), one request in flight. */
    private static final class Worker extends Thread {
        private final PssstClientChannel channel;
        private final InetSocketAddress server;
        private final Plan plan;
        private final Progress progress;
        private final AtomicLong budget;
        private final long deadline;
        final LatencyHistogram latencies = new LatencyHistogram();
        long timeouts;
        long refusals;
        long errors;

        Worker(PssstClientChannel channel, InetSocketAddress server, Plan plan, Progress progress, AtomicLong budget,
                long deadline) {
            this.channel = channel;
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
            ByteBuffer request = ByteBuffer.wrap(message);
            Duration timeout = Duration.ofMillis(plan.timeoutMillis());
            try (PssstClientChannel ch = channel) {
                while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    try {
                        ch.call(request.clear(), server, timeout);
                        latencies.record((System.nanoTime() - t0) / 1_000);
                        progress.completed.increment();
                    } catch (PssstTimeoutException e) {
                        timeouts++;
                        progress.failed.increment();
                    }
                }
                PssstChannelStats stats = ch.stats();
                // Late and duplicate replies are genuine replies that came too late or twice; the rest are refusals.
                refusals = stats.droppedTotal() - stats.dropped(DropReason.LATE_REPLY)
                        - stats.dropped(DropReason.DUPLICATE_REPLY);
            } catch (IOException | RuntimeException e) {
                errors++;
                progress.failed.increment();
            }
        }
    }
}
