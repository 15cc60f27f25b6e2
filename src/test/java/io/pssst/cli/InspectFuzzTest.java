package io.pssst.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pssst.internal.Bytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * {@code pssst inspect} on any input, run in-process through its command class as
 * {@code Main} runs it. Input: one byte choosing how the bytes reach the command (mode 0: the
 * datagram, given three ways — hex argument, hex on standard input, binary with
 * {@code --raw} — which must print the same; 1: the bytes as the argument text; 2: as the
 * text on standard input; 3: as the binary on standard input; 4: split at NUL bytes into the
 * command line itself; 5: as the argument text, read as UTF-8), then the bytes (seeds: the interop vectors' requests and replies,
 * valid and invalid, and command lines).
 *
 * <p>What must hold: the exit status is 0 (well-formed), 1 (malformed or unreadable) or 2
 * (usage); standard error is empty or one line that is neither an internal error nor a stack
 * trace; status 0 prints a "well-formed" verdict (or the help asked for), and only for text
 * that is hex; status 1 prints another verdict or one line on standard error.
 *
 * <p>Self-contained on purpose (only {@link Main}, {@link Io} and {@link InspectCommand} of
 * this package), so it can move with the CLI's package.
 */
class InspectFuzzTest {
    private record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void inspect_anyInput_documentedStatusAndOneLineErrors(byte[] input) {
        if (input.length == 0) {
            check(run(new byte[0], List.of("-")), "empty standard input");
            return;
        }
        int mode = (input[0] & 0xff) % 6;
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        switch (mode) {
            case 0 -> {
                String hex = Bytes.hex(bytes);
                Run arg = check(run(new byte[0], List.of(hex)), "hex argument");
                Run stdin = check(run((hex + "\n").getBytes(StandardCharsets.US_ASCII), List.of("-")), "hex stdin");
                Run raw = check(run(bytes, List.of("--raw")), "raw stdin");
                if (!arg.equals(stdin) || !arg.equals(raw)) {
                    throw new AssertionError("the three ways of giving one datagram disagree:\n" + arg + "\n" + stdin
                            + "\n" + raw);
                }
                if (bytes.length < 4 * 65_507 && arg.status() == 2) {
                    throw new AssertionError("a datagram given as hex was a usage error:\n" + arg);
                }
            }
            case 1 -> checkHexText(latin1, check(run(new byte[0], List.of(latin1)), "argument text"));
            case 5 -> {
                String utf8 = new String(bytes, StandardCharsets.UTF_8);
                checkHexText(utf8, check(run(new byte[0], List.of(utf8)), "argument text (UTF-8)"));
            }
            case 2 -> check(run(bytes, List.of("-")), "stdin text");
            case 3 -> check(run(bytes, List.of("-", "--raw")), "raw stdin");
            default -> check(run(new byte[0], new ArrayList<>(Arrays.asList(latin1.split("\0", -1)))), "command line");
        }
    }

    /** A datagram given as text that inspect calls well-formed was hex: ASCII hex digits, white space and ':'. */
    private static void checkHexText(String text, Run r) {
        if (r.status() == 0 && !r.out().startsWith("Usage:") && !text.replaceAll("[\\s:]", "").matches("[0-9a-fA-F]*")) {
            throw new AssertionError("inspect read text that is not hex as a datagram:\n" + r);
        }
    }

    private static Run run(byte[] stdin, List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Io io = new Io(new ByteArrayInputStream(stdin), o, e, false, false);
            status = Main.run(new InspectCommand(), argv, io, false);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The contract every run keeps; returns the run. */
    private static Run check(Run r, String how) {
        String what = "inspect (" + how + "): ";
        if (r.status() < 0 || r.status() > 2) {
            throw new AssertionError(what + "exit status outside 0, 1, 2:\n" + r);
        }
        if (!r.err().isEmpty() && r.err().indexOf('\n') != r.err().length() - 1) {
            throw new AssertionError(what + "standard error is not one line:\n" + r);
        }
        // (A one-line message may quote the command line, so only its start says what it is.)
        if (r.err().startsWith("pssst inspect: internal error") || r.out().contains("\tat ")) {
            throw new AssertionError(what + "an internal error or a stack trace:\n" + r);
        }
        String verdict = verdict(r.out());
        switch (r.status()) {
            case 0 -> {
                boolean help = r.out().startsWith("Usage: pssst inspect");
                if (!help && (verdict == null || !verdict.startsWith("well-formed")) || !r.err().isEmpty()) {
                    throw new AssertionError(what + "exit 0 without a well-formed verdict:\n" + r);
                }
            }
            case 1 -> {
                if (verdict != null ? verdict.startsWith("well-formed") || !r.err().isEmpty() : r.err().isEmpty()) {
                    throw new AssertionError(what + "exit 1 with a well-formed verdict, or with neither verdict nor error:\n"
                            + r);
                }
            }
            default -> {
                if (!r.err().startsWith("pssst inspect: ") || verdict != null) {
                    throw new AssertionError(what + "exit 2 without its one-line usage error:\n" + r);
                }
            }
        }
        return r;
    }

    private static String verdict(String out) {
        for (String line : out.split("\n")) {
            if (line.startsWith("verdict ")) {
                return line.substring("verdict ".length()).strip();
            }
        }
        return null;
    }
}
