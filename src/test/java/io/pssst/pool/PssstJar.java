package io.pssst.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The packaged jar as users run it ({@code java -jar pssst.jar …}), and a work folder for one
 * test under {@code target/pool-it/} (keys, nginx's configuration, pid and logs), or under
 * another folder of {@code target/}, emptied when the test starts and left behind for a look
 * after a failure. Needs the system properties failsafe sets in {@code mvn verify}:
 * {@code pssst.jar} and {@code pssst.basedir}. Public for the process-level tests of other
 * packages (the live interop tests).
 */
public final class PssstJar {
    private final Path jar;
    private final Path dir;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private PssstJar(Path jar, Path dir) {
        this.jar = jar;
        this.dir = dir;
    }

    /** The jar, and a fresh work folder {@code target/pool-it/NAME}; skips the test without the jar. */
    static PssstJar forTest(String name) throws IOException {
        return forTest("pool-it", name);
    }

    /** The jar, and a fresh work folder {@code target/AREA/NAME}; skips the test without the jar. */
    public static PssstJar forTest(String area, String name) throws IOException {
        Path jar = Path.of(System.getProperty("pssst.jar", "target/pssst.jar")).toAbsolutePath();
        assumeTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + ": run with mvn verify");
        Path basedir = Path.of(System.getProperty("pssst.basedir", ".")).toAbsolutePath();
        Path dir = basedir.resolve("target").resolve(area).resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> {
                    try {
                        Files.delete(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return new PssstJar(jar, Files.createDirectories(dir));
    }

    /** The work folder. */
    public Path dir() {
        return dir;
    }

    /** The command line {@code java -jar pssst.jar ARGS}, with this JVM's {@code java}. */
    public List<String> command(String... args) {
        return io.pssst.testing.ChildJvm.jar(java, jar.toString(), args);
    }

    /** Starts {@code java -jar pssst.jar ARGS} in the work folder, killed after {@code lifetime} at the latest. */
    public PoolProcess start(String name, Duration lifetime, String... args) throws IOException {
        return PoolProcess.start(name, dir, lifetime, command(args));
    }

    /** Runs {@code java -jar pssst.jar ARGS} to the end (at most {@code within}); asserts exit 0; returns its output. */
    public String run(Duration within, String... args) throws IOException, InterruptedException {
        try (PoolProcess p = start(args[0], within.plusSeconds(5), args)) {
            int status = p.waitFor(within);
            assertEquals(0, status, () -> "pssst " + String.join(" ", args) + " failed:\n" + p.output());
            return p.output();
        }
    }

    /** {@code pssst keygen --out NAME}: NAME and NAME.pub in the work folder. */
    public Path keygen(String name) throws IOException, InterruptedException {
        run(Duration.ofSeconds(60), "keygen", "--out", name);
        return dir.resolve(name);
    }

    public static XECPrivateKey privateKey(Path file) throws IOException, InvalidKeyMaterialException {
        return PssstKeys.parsePrivateKey(Files.readString(file));
    }

    public static XECPublicKey publicKey(Path file) throws IOException, InvalidKeyMaterialException {
        return PssstKeys.parsePublicKey(Files.readString(file));
    }
}
