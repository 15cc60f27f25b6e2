package io.pssst.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Files from the shared folder beside the repository ({@code ../shared}: the interop vectors
 * and the Wycheproof files). The location is the system property {@code pssst.shared}; where
 * it does not exist the calling test is skipped, with a message naming the property.
 */
public final class SharedData {
    public static final String PROPERTY = "pssst.shared";

    private SharedData() {
    }

    /** Where the shared folder should be: the system property, else {@code ../shared}. */
    public static Path location() {
        return Paths.get(System.getProperty(PROPERTY, "../shared"));
    }

    /** The shared folder, or a skipped test if it is absent. */
    public static Path root() {
        Path root = location();
        Assumptions.assumeTrue(Files.isDirectory(root),
                () -> "shared test data not found at " + root.toAbsolutePath()
                        + "; set -D" + PROPERTY + "=<path to the shared folder> to run this test");
        return root;
    }

    /** A JSON file under the shared folder, e.g. {@code vectors/pssst-interop-vectors.json}. */
    public static JsonObject json(String relative) {
        Path file = root().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(file), () -> file + " is missing; set -D" + PROPERTY);
        try (Reader r = Files.newBufferedReader(file)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
