package io.pssst.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pssst serve} running in-process on a thread, for tests: waits for its "listening
 * on" line; {@link #stop()} interrupts it (what SIGINT does to the process) and returns its
 * exit status.
 */
final class ServeRun implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+) .*server public key ([0-9a-f]{64})");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final Thread thread;
    private final java.util.Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    final String address;
    final String serverKeyHex;

    ServeRun(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(List.of(options));
        if (!args.contains("--bind")) {
            args.addAll(List.of("--bind", "127.0.0.1:0"));
        }
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        thread = new Thread(() -> status.complete(
                Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), o, e)), "serve-under-test");
        thread.setDaemon(true);
        thread.start();
        Matcher m = null;
        for (int i = 0; i < 500 && !status.isDone(); i++) {
            m = LISTENING.matcher(out());
            if (m.find()) {
                break;
            }
            m = null;
            Thread.sleep(10);
        }
        if (m == null) {
            throw new AssertionError("serve did not start:\n" + out() + err());
        }
        address = m.group(1);
        serverKeyHex = m.group(2);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Waits up to 5 s for {@code text} to appear on standard error. */
    boolean awaitErr(String text) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (err().contains(text)) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** This server's worker threads ({@code pssst-serve-N}, started by this run). */
    List<Thread> workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches("pssst-serve-\\d+") && !threadsBefore.contains(t)).toList();
    }

    /** Waits up to 10 s for the command to end by itself and returns its exit status. */
    int awaitExit() throws Exception {
        return status.get(10, TimeUnit.SECONDS);
    }

    /** Interrupts the server (as SIGINT would stop the process) and returns its exit status. */
    int stop() throws Exception {
        thread.interrupt();
        return status.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!status.isDone()) {
            stop();
        }
    }
}
