package io.pssst.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code pssst} in-process through {@link Main#run}, capturing standard output and
 * error.
 *
 * @param status the exit status
 * @param out what the command printed on standard output
 * @param err what it printed on standard error
 */
record CliRun(int status, String out, String err) {

    /** Runs {@code keygen --out key}, asserting success; returns {@code key}. */
    static java.nio.file.Path keygen(java.nio.file.Path key) {
        CliRun r = run("keygen", "--out", key.toString());
        if (r.status() != 0) {
            throw new AssertionError("keygen failed: " + r);
        }
        return key;
    }

    static CliRun run(String... args) {
        return runWithInput(new byte[0], args);
    }

    static CliRun runWithInput(String stdin, String... args) {
        return runWithInput(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static CliRun runWithInput(byte[] stdin, String... args) {
        return run(new ByteArrayInputStream(stdin), args);
    }

    static CliRun run(InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, stdin, o, e);
        }
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The standard error as one line, for asserting "one-line error". */
    boolean errIsOneLine() {
        return !err.isEmpty() && err.indexOf('\n') == err.length() - 1;
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
