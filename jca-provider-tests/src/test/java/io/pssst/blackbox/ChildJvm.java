package io.pssst.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process (java, jlink) with a bounded wait, its output in files under
 * {@code target/logs} so that nothing can block on a full pipe.
 */
final class ChildJvm {

    /** Upper bound for any one child process; a normal run takes a second or two. */
    static final long TIMEOUT_SECONDS = 120;

    private ChildJvm() {
    }

    /** What a finished child left behind. */
    record Outcome(List<String> command, int exit, String out, String err) {

        /** Exit 0 and nothing on stderr, or fail with everything the child said. */
        Outcome assertClean() {
            assertEquals(0, exit, () -> describe("exit status"));
            assertTrue(err.isBlank(), () -> describe("unexpected stderr"));
            return this;
        }

        String describe(String what) {
            return what + " of " + String.join(" ", command) + "\n--- exit " + exit
                    + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    static Outcome run(String name, List<String> command) throws IOException, InterruptedException {
        Path logs = Files.createDirectories(Fixture.work().resolve("logs"));
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        // Options from the environment would change what is tested (and print "Picked up ...").
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH")) {
            env.remove(variable);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
        }
        return new Outcome(command, process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
