package io.pssst.cli;

import io.pssst.channel.PssstClientChannel;
import io.pssst.internal.Wire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code pssst bench}: a load generator with a latency summary, JSON and an SVG chart. */
final class BenchCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec()
            .values("--server", "--server-key", "--key", "--clients", "--duration", "--requests", "--size",
                    "--timeout", "--svg", "--x25519")
            .flags("--json")
            .positional(0, 0);

    BenchCommand() {
        super("bench", "load-test a server: requests/s and latency percentiles", SPEC, """
                Usage: pssst bench --server HOST:PORT --server-key KEYFILE|HEX [--key CLIENT_KEYFILE]
                                   [--clients N] [--duration S | --requests N] [--size BYTES]
                                   [--timeout MS] [--json] [--svg FILE] [--x25519 jdk|builtin]

                Runs N concurrent clients, each doing request/reply (one request in flight
                per client, each on its own socket) for the given time or number of
                requests, then prints requests/s, latency p50/p90/p99/max, timeouts and
                refusals (datagrams the clients refused: tampered, or no reply of theirs). On a terminal a progress line is
                redrawn once a second; otherwise nothing is printed until the summary.
                Exit status 1 if no request at all completed.

                Options:
                  --server HOST:PORT   the server
                  --server-key KEY     the server's public key (file or 64 hex digits)
                  --key KEYFILE        authenticate with this client private key
                  --clients N          concurrent clients (default 4)
                  --duration S         seconds to run (default 5)
                  --requests N         stop after N requests in all instead
                  --size BYTES         message size (default 64)
                  --timeout MS         a request without a reply after MS counts as a timeout
                                       (default 1000)
                  --json               print the summary as one JSON object
                  --svg FILE           write a latency-distribution chart (SVG) to FILE
                %s
                """.formatted(Args.X25519_HELP));
    }

    @Override
    int run(Args args, Io io) throws Exception {
        var server = HostPort.destination("--server", args.required("--server"));
        if (args.value("--duration").isPresent() && args.value("--requests").isPresent()) {
            throw new UsageException("give --duration or --requests, not both");
        }
        PssstClientChannel.Builder builder = SendCommand.clientBuilder(args, io);
        boolean auth = args.value("--key").isPresent();
        Bench.Plan plan = new Bench.Plan(
                args.intValue("--clients", 4, 1, 1024),
                args.longValue("--duration", 5, 1, 86_400) * 1000,
                args.longValue("--requests", 0, 1, Long.MAX_VALUE / 2),
                args.intValue("--size", 64, 0, Wire.MAX_DATAGRAM - Wire.requestLength(0, auth)),
                args.intValue("--timeout", 1000, 1, 600_000));
        Path svg = args.value("--svg").isPresent() ? writableFile(args.value("--svg").get()) : null;
        Bench.Progress progress = new Bench.Progress();
        ScheduledExecutorService ticker = io.terminal() ? startProgress(progress, io) : null;
        Bench.Result result;
        try {
            result = Bench.run(builder, server, plan, progress);
        } finally {
            if (ticker != null) {
                ticker.shutdownNow();
                io.err().print("\r\033[K");
                io.err().flush();
            }
        }
        io.out().print(args.flag("--json") ? result.json(auth) + "\n" : result.text(auth));
        if (svg != null) {
            String title = String.format(Locale.ROOT, "pssst bench: %d requests, %.0f req/s, %d clients, %d-byte messages",
                    result.completed(), result.perSecond(), plan.clients(), plan.size());
            Files.writeString(svg, SvgChart.render(result.latencies(), title), StandardCharsets.UTF_8);
            if (!args.flag("--json")) {
                io.out().println("chart      " + svg);
            }
        }
        if (result.completed() == 0) {
            throw new CommandFailedException("no request completed: no reply from " + HostPort.format(server)
                    + " (is the server running, and is this its key?)");
        }
        return Main.OK;
    }

    /** Checks, before a run of minutes, that the chart can be written where asked. */
    private static Path writableFile(String name) throws CommandFailedException {
        Path p;
        try {
            p = Path.of(name);
        } catch (InvalidPathException e) {
            throw new CommandFailedException("--svg: not a file name: " + name);
        }
        Path parent = p.toAbsolutePath().getParent();
        if (Files.isDirectory(p)) {
            throw new CommandFailedException("--svg: " + name + " is a directory");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new CommandFailedException("--svg: no such directory: " + parent);
        }
        return p;
    }

    private static ScheduledExecutorService startProgress(Bench.Progress progress, Io io) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pssst-bench-progress");
            t.setDaemon(true);
            return t;
        });
        long[] last = {0};
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            long done = progress.completed.sum();
            io.err().printf(Locale.ROOT, "\r\033[K%5.0f s  %d requests  %d req/s  %d errors",
                    (System.nanoTime() - start) / 1e9, done, done - last[0], progress.failed.sum());
            io.err().flush();
            last[0] = done;
        }, 1, 1, TimeUnit.SECONDS);
        return ticker;
    }
}
