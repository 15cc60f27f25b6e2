package io.pssst.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code jlink --module-path pssst.jar --add-modules io.pssst} on Java 17 and on Java 25
 * (whatever JDK runs the build): the image holds only what io.pssst resolves, and the full
 * transaction succeeds inside it, the provider installed each of the three ways. The
 * application runs from outside the image, on the module path.
 */
class JlinkImageTest {

    /** Images already built in this run, by JDK. */
    private static final Map<Jdk, Path> IMAGES = new HashMap<>();

    /** A JDK named by a system property (set by the pom, from JDK17_HOME / JDK25_HOME). */
    enum Jdk {
        JDK17("pssst.jdk17"),
        JDK25("pssst.jdk25");

        private final String property;

        Jdk(String property) {
            this.property = property;
        }

        Path home() {
            String value = System.getProperty(property);
            assertTrue(value != null && Files.isExecutable(Path.of(value, "bin", "jlink")),
                    () -> "-D" + property + " (or the JDK" + name().substring(3)
                            + "_HOME environment variable) must name a JDK with jlink, is " + value);
            return Path.of(value);
        }

        /** The feature version, from the JDK's release file. */
        int feature() throws IOException {
            Properties release = new Properties();
            try (Reader in = Files.newBufferedReader(home().resolve("release"), StandardCharsets.UTF_8)) {
                release.load(in);
            }
            String version = release.getProperty("JAVA_VERSION", "").replace("\"", "");
            return Integer.parseInt(version.split("[.+-]")[0]);
        }
    }

    static Stream<Jdk> jdks() {
        return Stream.of(Jdk.values());
    }

    static Stream<Arguments> jdksAndRegistrations() {
        return jdks().flatMap(jdk -> Stream.of(Registration.values()).map(r -> Arguments.of(jdk, r)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void jlink_addModulesIoPssst_holdsOnlyResolvedModules(Jdk jdk) throws Exception {
        int feature = jdk.feature();
        assertEquals(jdk == Jdk.JDK17, feature < 22,
                () -> jdk + " is Java " + feature + ": the Java 17 test needs a JDK before 22, the Java 25 one 22+");
        ChildJvm.Outcome listed = ChildJvm.run(jdk + "-list-modules",
                List.of(Fixture.java(image(jdk)), "--list-modules")).assertClean();
        Set<String> modules = listed.out().lines()
                .map(line -> line.replaceFirst("@.*", "").trim())
                .filter(line -> !line.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));

        // X25519 is in jdk.crypto.ec up to Java 21 and in java.base from Java 22 (the jar's
        // versions/22 descriptor drops the requires); java.management for the channels'
        // MXBeans; jdk.unsupported holds sun.misc.Signal (`pssst serve` reloads its keys on
        // SIGHUP). If io.pssst gains a requires, update this and docs/module-info.md.
        Set<String> expected = feature < 22
                ? Set.of("io.pssst", "java.base", "java.management", "jdk.crypto.ec", "jdk.unsupported")
                : Set.of("io.pssst", "java.base", "java.management", "jdk.unsupported");
        assertEquals(new TreeSet<>(expected), modules, () -> listed.describe("modules"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("jdksAndRegistrations")
    void image_transaction_succeeds(Jdk jdk, Registration registration) throws Exception {
        Path image = image(jdk);
        ChildJvm.Outcome outcome = ChildJvm.run(jdk + "-image-" + registration,
                Fixture.command(image, List.of("-p", Fixture.app().toString(), "-m", Fixture.MAIN_MODULE), registration))
                .assertClean();

        ProviderPlacementTest.assertTransactionOk(outcome, registration, "io.pssst", jdk.feature());
    }

    /** Builds the image of {@code jdk} once per run, into target/image-jdkNN. */
    private static synchronized Path image(Jdk jdk) throws IOException, InterruptedException {
        Path image = IMAGES.get(jdk);
        if (image == null) {
            image = Fixture.work().resolve("image-" + jdk.name().toLowerCase(Locale.ROOT));
            deleteTree(image);
            Path jlink = jdk.home().resolve("bin").resolve("jlink");
            ChildJvm.run(jdk + "-jlink", List.of(jlink.toString(),
                    "--module-path", Fixture.pssstJar().toString(),
                    "--add-modules", "io.pssst",
                    "--output", image.toString())).assertClean();
            IMAGES.put(jdk, image);
        }
        return image;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
