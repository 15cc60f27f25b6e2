package io.pssst.blackbox;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Paths handed over by the pom (system properties) and the launch commands built from them. */
final class Fixture {

    /** The application's main class, and as {@code module/class} for {@code -m}. */
    static final String MAIN_CLASS = "io.pssst.blackbox.TransactionMain";
    static final String MAIN_MODULE = "io.pssst.blackbox/" + MAIN_CLASS;

    private Fixture() {
    }

    /** The provider jar under test, as Maven resolved it. */
    static Path pssstJar() {
        return existing("pssst.jar");
    }

    /** This project's compiled application (an exploded module io.pssst.blackbox). */
    static Path app() {
        return existing("pssst.app");
    }

    /** target/ of this project. */
    static Path work() {
        return existing("pssst.work");
    }

    /** The java launcher of a JDK or of a jlink image. */
    static String java(Path home) {
        return home.resolve("bin").resolve("java").toString();
    }

    /** java [override] -p|-cp ... main registration. */
    static List<String> command(Path javaHome, List<String> placement, Registration registration)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java(javaHome));
        if (registration == Registration.SECURITY_PROPERTIES) {
            command.add("-Djava.security.properties=" + securityOverride(javaHome));
        }
        command.addAll(placement);
        command.add(registration.toString());
        return command;
    }

    /**
     * A java.security override that adds {@code security.provider.N=PSSST} after the last
     * provider of the given runtime's own java.security (the list must have no gaps).
     */
    static Path securityOverride(Path javaHome) throws IOException {
        Properties base = new Properties();
        try (Reader in = Files.newBufferedReader(
                javaHome.resolve("conf/security/java.security"), StandardCharsets.ISO_8859_1)) {
            base.load(in);
        }
        int next = 1;
        while (base.getProperty("security.provider." + next) != null) {
            next++;
        }
        Path file = work().resolve("pssst-" + next + ".security");
        Files.writeString(file, "security.provider." + next + "=PSSST\n", StandardCharsets.ISO_8859_1);
        return file;
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        assertTrue(value != null && Files.exists(Path.of(value)),
                () -> "system property " + property + " must name an existing path, is " + value);
        return Path.of(value);
    }
}
