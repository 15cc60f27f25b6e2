package io.pssst.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process started by the pool tests (and the live interop tests), with its standard output and error collected (merged)
 * as they come. Its life is bounded twice: by GNU {@code timeout -s KILL} wrapped around the
 * command (where {@code /usr/bin/timeout} exists), so nothing outlives a test JVM that died,
 * and by {@link #close()}, which kills it and its descendants. Every wait has a deadline.
 */
public final class PoolProcess implements AutoCloseable {
    private static final Path TIMEOUT = Path.of("/usr/bin/timeout");

    private final String name;
    private final Process process;
    private final boolean wrapped; // in GNU timeout: the command is its child
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private PoolProcess(String name, Process process, boolean wrapped) {
        this.name = name;
        this.process = process;
        this.wrapped = wrapped;
        this.reader = new Thread(() -> drain(process.getInputStream()), name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code command} in {@code dir}; it is killed after {@code lifetime} whatever
     * happens to the caller. Standard input is closed at once.
     */
    public static PoolProcess start(String name, Path dir, Duration lifetime, List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        boolean wrapped = Files.isExecutable(TIMEOUT);
        if (wrapped) {
            full.addAll(List.of(TIMEOUT.toString(), "-s", "KILL", Long.toString(Math.max(1, lifetime.toSeconds()))));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        return new PoolProcess(name, p, wrapped);
    }

    private void drain(InputStream in) {
        char[] buf = new char[4096];
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            for (int n; (n = r.read(buf)) >= 0; ) {
                output.append(buf, 0, n);
            }
        } catch (IOException e) {
            output.append("\n(").append(name).append(" output unreadable: ").append(e).append(")\n");
        }
    }

    /** Everything the process printed so far (standard output and error, merged). */
    public String output() {
        return output.toString();
    }

    /**
     * The id of the process that runs the command (for {@code jcmd}): the child that
     * {@code timeout} started, or the process itself when it is not wrapped.
     *
     * @throws AssertionError if {@code timeout}'s child is gone
     */
    public long commandPid() {
        if (!wrapped) {
            return process.pid();
        }
        return process.toHandle().children().findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new AssertionError(name + " has no running command under timeout:\n" + output()));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the output matches {@code pattern}.
     *
     * @return the match, or {@code null} if the process exited first
     * @throws AssertionError if neither happened within {@code within}
     */
    public Matcher awaitOutput(Pattern pattern, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            boolean exited = !process.isAlive();
            if (exited) {
                reader.join(2_000); // its last words
            }
            Matcher m = pattern.matcher(output());
            if (m.find()) {
                return m;
            }
            if (exited) {
                return null;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + " printed no /" + pattern + "/ within " + within + ":\n" + output());
    }

    /**
     * Waits for the process to exit.
     *
     * @return its exit status
     * @throws AssertionError (after killing it) if it is still running after {@code within}
     */
    public int waitFor(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError(name + " still running after " + within + "; killed:\n" + output());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /**
     * SIGTERM (which {@code timeout} passes on to the command), then waits.
     *
     * @return the exit status
     */
    public int terminate(Duration within) throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM; unlike Process.destroy() it leaves our end of the pipe open
        return waitFor(within);
    }

    /**
     * Sends {@code signal} (a name {@code kill -s} knows, e.g. {@code HUP}) to the command
     * itself with {@code kill}: to the JVM, not to the {@code timeout} wrapped around it (GNU
     * timeout passes a signal on once, then ignores that signal).
     *
     * @throws AssertionError if the command is gone or {@code kill} fails
     */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(commandPid())).redirectErrorStream(true)
                .start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            kill.destroyForcibly();
            throw new AssertionError("kill -s " + signal + " " + name + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** SIGKILL to the process and its descendants (a crash); waits for it briefly. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Kills the process if it is still running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive)) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
