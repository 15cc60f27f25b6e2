package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MainTest {

    static List<String> commands() {
        return List.of("demo", "keygen", "pubkey", "serve", "send", "bench", "inspect", "compat");
    }

    @Test
    void run_noArguments_printsOverviewAndSucceeds() {
        CliRun r = CliRun.run();
        assertEquals(0, r.status(), r::toString);
        for (String c : commands()) {
            assertTrue(r.out().contains("  " + c + " "), () -> c + " missing from\n" + r.out());
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void help_everyCommand_printsUsageAndExitsZero(String command) {
        CliRun r = CliRun.run(command, "--help");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("Usage: pssst " + command), r::toString);
        assertEquals("", r.err());
        assertEquals(r.out(), CliRun.run("help", command).out());
    }

    @ParameterizedTest
    @MethodSource("commands")
    void run_unknownOption_exitsTwoWithOneLine(String command) {
        CliRun r = CliRun.run(command, "--no-such-option");
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.errIsOneLine(), r::toString);
        assertTrue(r.err().startsWith("pssst " + command + ": unknown option --no-such-option"), r::toString);
    }

    @Test
    void run_unknownCommand_exitsTwo() {
        CliRun r = CliRun.run("frobnicate");
        assertEquals(2, r.status());
        assertTrue(r.errIsOneLine(), r::toString);
    }

    @Test
    void run_failure_oneLineWithoutVerbose_stackTraceWithVerbose() {
        CliRun quiet = CliRun.run("pubkey", "/nonexistent/key");
        assertEquals(1, quiet.status());
        assertTrue(quiet.errIsOneLine(), quiet::toString);
        CliRun verbose = CliRun.run("--verbose", "pubkey", "/nonexistent/key");
        assertEquals(1, verbose.status());
        assertTrue(verbose.err().contains("\tat io.pssst.cli."), verbose::toString);
    }

    @Test
    void run_optionValueMissing_exitsTwo() {
        CliRun r = CliRun.run("keygen", "--out");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--out needs a value"), r::toString);
    }

    @Test
    void run_tooManyArguments_exitsTwo() {
        CliRun r = CliRun.run("pubkey", "a", "b");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unexpected argument 'b'"), r::toString);
    }

    @Test
    void version_printsSomething() {
        CliRun r = CliRun.run("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("pssst "), r::toString);
    }

    @Test
    void describe_fileSystemErrorsWithoutReason_sayWhatHappened() {
        assertEquals("directory not empty: d", Main.describe(new java.nio.file.DirectoryNotEmptyException("d")));
        assertEquals("f: NotLink", Main.describe(new java.nio.file.NotLinkException("f")));
        assertTrue(Main.describe(new java.nio.charset.MalformedInputException(1)).startsWith("not a text file"));
    }

    @Test
    void help_unknownCommand_exitsTwoWithOneLine() {
        CliRun r = CliRun.run("help", "frobnicate");
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.errIsOneLine() && r.err().contains("frobnicate"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void run_outOfMemory_oneLineExitOne() {
        Command hog = new Command("hog", "x", new Args.Spec(), "Usage: pssst hog\n") {
            @Override
            int run(Args args, Io io) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream e = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        Io io = new Io(java.io.InputStream.nullInputStream(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                e, false, false);
        assertEquals(1, Main.run(hog, List.of(), io, false));
        assertEquals("pssst hog: out of memory (run with --verbose for details)\n", err.toString(
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void cannotSend_permissionDenied_saysBroadcastOtherwiseTheReason() {
        assertEquals("cannot send to 127.255.255.255:7667: the system refused it (permission denied): a broadcast"
                + " address? A PSSST request goes to one server",
                Main.cannotSend("127.255.255.255:7667", new java.net.BindException("Permission denied")));
        assertEquals("cannot send to 10.0.0.1:7667: Network is unreachable",
                Main.cannotSend("10.0.0.1:7667", new java.net.SocketException("Network is unreachable")));
    }
}
