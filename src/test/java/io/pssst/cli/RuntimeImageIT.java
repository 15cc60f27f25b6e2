package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime image for servers, made as README.md says ({@code image/build}), with the jlink
 * of the JDK that runs the build, from the packaged jar: its {@code bin/pssst} runs the demo,
 * and it holds only the modules PSSST needs. Prints the image's size. Run by failsafe in
 * {@code mvn verify} (system properties {@code pssst.jar}, {@code pssst.basedir}).
 */
class RuntimeImageIT {
    private static Path jar;
    private static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsJarAndScript() {
        jar = Path.of(System.getProperty("pssst.jar", "target/pssst.jar")).toAbsolutePath();
        script = Path.of(System.getProperty("pssst.basedir", ".")).toAbsolutePath().resolve("image/build");
        assumeTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + ": run with mvn verify");
        assumeTrue(Files.isRegularFile(Path.of(System.getProperty("java.home"), "bin", "jlink")),
                "this Java has no jlink: not a JDK");
    }

    private record Ran(int status, String out) {
    }

    private Ran exec(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = Async.supply("image output", () -> drain(p.getInputStream()));
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Ran(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void imageBuild_launcherRunsTheDemo_onlyTheModulesPssstNeeds() throws Exception {
        Path image = dir.resolve("image");
        Ran built = exec(List.of("bash", script.toString(), "--jar", jar.toString(), "--output", image.toString()));
        assertEquals(0, built.status, built::toString);
        Path launcher = image.resolve("bin").resolve("pssst");
        assertTrue(Files.isExecutable(launcher), built::toString);

        Ran demo = exec(List.of(launcher.toString(), "demo", "--seconds", "0.2"));
        assertEquals(0, demo.status, demo::toString);
        assertTrue(demo.out.contains("Every step behaved"), demo::toString);

        Ran modules = exec(List.of(image.resolve("bin").resolve("java").toString(), "--list-modules"));
        Set<String> names = modules.out.lines().map(l -> l.replaceAll("@.*", "")).collect(Collectors.toSet());
        Set<String> expected = Runtime.version().feature() >= 22 ? Set.of("io.pssst", "java.base", "jdk.unsupported")
                : Set.of("io.pssst", "java.base", "jdk.crypto.ec", "jdk.unsupported");
        assertEquals(expected, names, modules::toString);
        System.out.printf("RuntimeImageIT: Java %d image, %.1f MB%n", Runtime.version().feature(),
                size(image) / 1e6);
    }
}
