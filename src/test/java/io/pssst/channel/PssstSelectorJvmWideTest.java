package io.pssst.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pssst.internal.channel.PlatformProvider;
import io.pssst.testing.JvmWideSelectorMain;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PSSST's provider installed JVM-wide with
 * {@code -Djava.nio.channels.spi.SelectorProvider}, in child JVMs (the JDK reads the property
 * once per JVM): unchanged {@code Selector.open()} code on the class path and on the module
 * path, and the clear error when {@code --add-exports} is missing. Runs the same {@code java}
 * as the tests; each child is bounded.
 */
class PssstSelectorJvmWideTest {
    private static final long CHILD_BOUND_SECONDS = 120;
    private static final String INSTALL =
            "-D" + PlatformProvider.PROPERTY + "=" + PssstSelectorProvider.class.getName();

    @TempDir
    Path tmp;

    @Test
    void classPath_installedWithAddExports_unchangedSelectorOpenServesBothKinds() throws Exception {
        String output = runChild(List.of(INSTALL, "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp", classes() + File.pathSeparator + testClasses(),
                JvmWideSelectorMain.class.getName(), "mixed"));
        assertTrue(output.contains("mixed PSSST and JDK channels ok"), output);
        assertTrue(output.contains("PSSST server and client channels ok"), output);
        assertTrue(output.contains("PASS mixed"), output);
    }

    @Test
    void classPath_installedWithoutAddExports_openFailsWithClearIoException() throws Exception {
        String output = runChild(List.of(INSTALL,
                "-cp", classes() + File.pathSeparator + testClasses(),
                JvmWideSelectorMain.class.getName(), "expect-failure"));
        assertTrue(output.contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED"), output);
        assertTrue(output.contains("PASS expect-failure"), output);
    }

    @Test
    void modulePath_installedWithAddExports_unchangedSelectorOpenServesBothKinds() throws Exception {
        String output = runChild(List.of(INSTALL, "--add-exports", "java.base/sun.nio.ch=io.pssst",
                "--module-path", classes(), "--add-modules", "io.pssst",
                "-cp", testClasses(),
                JvmWideSelectorMain.class.getName(), "modular"));
        assertTrue(output.contains("PSSST server and client channels ok"), output);
        assertTrue(output.contains("PASS modular"), output);
    }

    private static String classes() {
        return location(PssstSelectorProvider.class);
    }

    private static String testClasses() {
        return location(JvmWideSelectorMain.class);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private String runChild(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        Path log = Files.createTempFile(tmp, "child", ".log");
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!child.waitFor(CHILD_BOUND_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("child JVM did not finish within " + CHILD_BOUND_SECONDS + " s: " + command
                    + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), command + "\n" + output);
        return output;
    }
}
