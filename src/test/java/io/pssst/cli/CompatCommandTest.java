package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code pssst compat} in-process, two instances wired to each other the way compat-drive
 * wires two processes (every line one prints goes to the other's standard input). The
 * process-level run through ../shared/tools/compat-drive is in {@link LauncherIT}.
 */
class CompatCommandTest {

    /** One compat instance on pipes. */
    private static final class Peer {
        final PipedOutputStream stdin = new PipedOutputStream();
        final PipedInputStream stdout = new PipedInputStream(1 << 18);
        final StringBuilder err = new StringBuilder();
        final CompletableFuture<Integer> status;

        Peer() throws IOException {
            PipedInputStream in = new PipedInputStream(stdin, 1 << 18);
            PrintStream out = new PrintStream(new PipedOutputStream(stdout), true, StandardCharsets.US_ASCII);
            java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
            PrintStream e = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
            status = Async.supply("compat", () -> {
                try {
                    return Main.run(new String[] {"compat"}, in, out, e);
                } finally {
                    out.close();
                    err.append(errBytes.toString(StandardCharsets.UTF_8));
                }
            });
        }
    }

    /** Copies lines from one peer to the other, editing them with {@code edit}; closes the target's stdin at the end. */
    private static CompletableFuture<Void> relay(Peer from, Peer to, UnaryOperator<String> edit) {
        return Async.run("relay", () -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(from.stdout, StandardCharsets.US_ASCII));
                    OutputStream w = to.stdin) {
                for (String line; (line = r.readLine()) != null;) {
                    try {
                        w.write((edit.apply(line) + "\n").getBytes(StandardCharsets.US_ASCII));
                        w.flush();
                    } catch (IOException peerGone) {
                        // the other side has finished; keep draining
                    }
                }
            } catch (IOException e) {
                // pipe closed
            }
        });
    }

    private static int[] pair(UnaryOperator<String> editAtoB) throws Exception {
        Peer a = new Peer();
        Peer b = new Peer();
        CompletableFuture<Void> ab = relay(a, b, editAtoB);
        CompletableFuture<Void> ba = relay(b, a, UnaryOperator.identity());
        int sa = a.status.get(30, TimeUnit.SECONDS);
        int sb = b.status.get(30, TimeUnit.SECONDS);
        ab.get(30, TimeUnit.SECONDS);
        ba.get(30, TimeUnit.SECONDS);
        lastErrors = a.err + "|" + b.err;
        return new int[] {sa, sb};
    }

    private static String lastErrors;

    @Test
    void compat_againstItself_bothDone() throws Exception {
        int[] s = pair(UnaryOperator.identity());
        assertEquals(0, s[0], lastErrors);
        assertEquals(0, s[1], lastErrors);
    }

    @Test
    void compat_tamperedReply_peerFailsWithDecryptFailed() throws Exception {
        int[] s = pair(line -> line.startsWith("REPLY:") ? line.substring(0, line.length() - 1)
                + (line.endsWith("0") ? "1" : "0") : line);
        assertEquals(1, s[1], lastErrors);
        assertTrue(lastErrors.contains("refused (decrypt-failed)"), lastErrors);
        // A may finish (B answered both its requests before failing) or see its input end early:
        // either way it has ended, which pair() checked.
    }

    @Test
    void compat_wrongPlaintext_peerFailsTheCheck() throws Exception {
        int[] s = pair(line -> line.startsWith("PLAINTEXT:") ? "PLAINTEXT:00" : line);
        assertEquals(1, s[1], lastErrors);
        assertTrue(lastErrors.contains("REQUEST: the message is not the peer's PLAINTEXT"), lastErrors);
    }

    @Test
    void compat_inputEndsEarly_exitsOne() {
        CliRun r = CliRun.run("compat");
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith("SERVER_KEY:"), r::toString);
        assertTrue(r.err().contains("input ended before both replies were opened"), r::toString);
    }

    @Test
    void compat_notHex_exitsOne() {
        CliRun r = CliRun.runWithInput("SERVER_KEY:zz\n", "compat");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("SERVER_KEY: value is not hex"), r::toString);
    }

    @Test
    void compat_endlessLine_refusedWithoutReadingItAll() {
        long total = 20_000_000;
        long[] consumed = {0};
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                if (consumed[0] >= total) {
                    return -1;
                }
                consumed[0]++;
                return 'a';
            }
        };
        CliRun r = CliRun.run(endless, "compat");
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.errIsOneLine() && r.err().contains("input line longer"), r::toString);
        assertTrue(consumed[0] < 1_000_000, "read " + consumed[0] + " bytes of one line");
    }
}
