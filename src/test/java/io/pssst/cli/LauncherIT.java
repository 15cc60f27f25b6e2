package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.testing.CompatDrive;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool as users start it, as real processes: {@code java -jar}, {@code java -p JAR -m
 * io.pssst} (on this JDK and on Java 25 when installed), {@code java -m io.pssst} in a jlink
 * image of the module, the {@code ./pssst} launcher, the
 * serve process stopped by SIGTERM or by a fault, and {@code compat} paired with itself through
 * {@link CompatDrive} (needs {@code python3}). Needs the packaged jar: run by failsafe in
 * {@code mvn verify} (system properties {@code pssst.jar}, {@code pssst.basedir}).
 */
class LauncherIT {
    private static final Path JAVA25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static Path jar;
    private static Path basedir;
    private static String java;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsJar() {
        jar = Path.of(System.getProperty("pssst.jar", "target/pssst.jar"));
        basedir = Path.of(System.getProperty("pssst.basedir", ".")).toAbsolutePath();
        java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assumeTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + ": run with mvn verify");
    }

    private record Ran(int status, String out, String err) {
    }

    private static Ran exec(Path cwd, List<String> command, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        Process p = pb.start();
        CompletableFuture<String> out = Async.supply("stdout", () -> drain(p.getInputStream()));
        CompletableFuture<String> err = Async.supply("stderr", () -> drain(p.getErrorStream()));
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Ran(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static List<String> jarCommand(String... args) {
        return io.pssst.testing.ChildJvm.jar(java, jar.toString(), args);
    }

    @Test
    void javaJar_helpKeygenAndExitCodes() throws Exception {
        Ran help = exec(dir, jarCommand("--help"), "");
        assertEquals(0, help.status, help::toString);
        assertTrue(help.out.contains("Usage: pssst"), help::toString);
        Ran keygen = exec(dir, jarCommand("keygen", "--out", "k"), "");
        assertEquals(0, keygen.status, keygen::toString);
        assertTrue(Files.exists(dir.resolve("k.pub")));
        Ran missing = exec(dir, jarCommand("pubkey", "absent.key"), "");
        assertEquals(1, missing.status);
        assertEquals("pssst pubkey: key file not found: absent.key\n", missing.err);
        Ran usage = exec(dir, jarCommand("send", "--bogus"), "");
        assertEquals(2, usage.status);
        assertTrue(usage.err.endsWith("(try 'pssst send --help')\n") && usage.err.lines().count() == 1, usage::toString);
        Ran inspect = exec(dir, jarCommand("inspect", "-"), "00000001");
        assertEquals(1, inspect.status);
        assertTrue(inspect.out.contains("malformed"), inspect::toString);
    }

    @Test
    void modulePath_mainClassFromDescriptor_onThisJdkAndJava25() throws Exception {
        List<String> javas = new ArrayList<>(List.of(java));
        if (Files.isExecutable(JAVA25)) {
            javas.add(JAVA25.toString());
        } else {
            System.out.println("LauncherIT: " + JAVA25 + " not installed; module-path run checked on this JDK only");
        }
        for (String j : javas) {
            Ran r = exec(dir, List.of(j, "-p", jar.toString(), "-m", "io.pssst", "keygen", "--format", "hex"), "");
            assertEquals(0, r.status, () -> j + ": " + r);
            assertEquals(2, r.out.lines().count(), r::toString);
            Ran v = exec(dir, List.of(j, "-p", jar.toString(), "-m", "io.pssst", "--version"), "");
            assertTrue(v.out.startsWith("pssst ") && !v.out.contains("unknown"), v::toString);
        }
    }

    @Test
    void jlinkImage_runsTheModuleByName() throws Exception {
        var jlink = ToolProvider.findFirst("jlink");
        assumeTrue(jlink.isPresent(), "no jlink in this JDK");
        Path image = dir.resolve("image");
        StringWriter log = new StringWriter();
        int status = jlink.get().run(new PrintWriter(log), new PrintWriter(log),
                "--module-path", jar.toString(), "--add-modules", "io.pssst", "--output", image.toString());
        assertEquals(0, status, log::toString);
        Ran r = exec(dir, List.of(image.resolve("bin").resolve("java").toString(), "-m", "io.pssst", "demo",
                "--seconds", "0.2"), "");
        assertEquals(0, r.status, r::toString);
        assertTrue(r.out.contains("Every step behaved"), r::toString);
    }

    @Test
    void serveProcess_sigterm_printsStatsAndExitsZero() throws Exception {
        assertEquals(0, exec(dir, jarCommand("keygen", "--out", "server.key"), "").status);
        Process p = new ProcessBuilder(jarCommand("serve", "--key", "server.key", "--bind", "127.0.0.1:0"))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            CompletableFuture<String> rest = answersOneRequest(p);
            p.toHandle().destroy(); // SIGTERM; unlike Process.destroy() it leaves our end of the pipes open
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
            String tail = rest.get(10, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), tail);
            assertTrue(tail.contains("1 requests, 1 replies, refused: none"), tail);
            assertEquals(1, occurrences(tail, "stopped after"), tail);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * A serve process that fails (its worker's socket closed under it, by an interrupt of that
     * thread: see {@link FaultyServeMain}) prints its statistics once and one line saying why,
     * and exits 1, so a supervisor that restarts on failure restarts it.
     */
    @Test
    void serveProcess_socketClosedUnderIt_statsOnceOneLineExitsOne() throws Exception {
        assertEquals(0, exec(dir, jarCommand("keygen", "--out", "server.key"), "").status);
        String testClasses = Path.of(FaultyServeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        Process p = new ProcessBuilder(java, "-cp", jar + File.pathSeparator + testClasses,
                FaultyServeMain.class.getName(), "serve", "--key", "server.key", "--bind", "127.0.0.1:0")
                .directory(dir.toFile()).start();
        try {
            CompletableFuture<String> err = Async.supply("stderr", () -> drain(p.getErrorStream()));
            CompletableFuture<String> rest = answersOneRequest(p);
            p.getOutputStream().write('\n'); // the fault
            p.getOutputStream().flush();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve did not stop when its socket was closed");
            String tail = rest.get(10, TimeUnit.SECONDS);
            String errors = err.get(10, TimeUnit.SECONDS);
            assertEquals(1, p.exitValue(), tail + errors);
            assertEquals(1, occurrences(tail, "stopped after"), tail);
            assertTrue(tail.contains("1 requests, 1 replies, refused: none"), tail);
            assertEquals("pssst serve: the server stopped: its socket was closed while it was serving (closed from"
                    + " elsewhere, or a worker thread was interrupted)\n", errors);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Waits for a serve process's "listening on" line, has it answer one request, and returns
     * the rest of its standard output, read until it ends.
     */
    private CompletableFuture<String> answersOneRequest(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null && first.contains("listening on 127.0.0.1:"), String.valueOf(first));
        String address = first.replaceAll(".*listening on (\\S+) .*", "$1");
        CliRun sent = CliRun.run("send", "--server", address, "--server-key", dir.resolve("server.key.pub").toString(), "hi");
        assertEquals(0, sent.status(), sent::toString);
        return Async.supply("stdout", () -> {
            StringWriter rest = new StringWriter();
            try {
                out.transferTo(rest);
            } catch (IOException e) {
                rest.write("(unreadable: " + e + ")");
            }
            return rest.toString();
        });
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void launcher_demo_everyStepBehaves() throws Exception {
        assumeLauncherReady();
        long t0 = System.nanoTime();
        Ran r = exec(basedir, List.of(basedir.resolve("pssst").toString(), "demo"), "");
        System.out.printf("LauncherIT: ./pssst demo took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.status, r::toString);
        assertTrue(r.out.contains("Every step behaved"), r::toString);
    }

    @Test
    void compatDrive_launcherAgainstItself_compatible() throws Exception {
        assumeLauncherReady();
        assumeTrue(exec(dir, List.of("python3", "--version"), "").status == 0, "python3 absent: compat-drive run skipped");
        Ran r = exec(basedir, CompatDrive.command("./pssst compat", "java -jar " + jar + " compat", Duration.ofSeconds(60)), "");
        assertEquals(0, r.status, r::toString);
        assertTrue(r.out.contains("\ncompatible"), r::toString);
    }

    /** The launcher would rebuild (running Maven inside this build) if a source is newer than the jar. */
    private static void assumeLauncherReady() throws IOException {
        long built = Files.getLastModifiedTime(jar).toMillis();
        boolean stale;
        try (Stream<Path> files = Files.walk(basedir.resolve("src"))) {
            stale = Files.getLastModifiedTime(basedir.resolve("pom.xml")).toMillis() > built
                    || files.anyMatch(f -> {
                        try {
                            return Files.getLastModifiedTime(f).toMillis() > built;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        }
        assumeTrue(!stale, "a source is newer than " + jar + ": ./pssst would rebuild; launcher tests skipped");
        assumeTrue(Files.isExecutable(basedir.resolve("pssst")), "no executable ./pssst launcher");
    }
}
