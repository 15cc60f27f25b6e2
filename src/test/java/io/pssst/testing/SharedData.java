package io.pssst.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The test data (interop vectors, Wycheproof files) and the shared folder beside the
 * repository ({@code ../shared}).
 *
 * <p>The data is in the repository: {@code src/test/resources/vectors/} and
 * {@code src/test/resources/third_party/wycheproof/} (each with its licence and a note of its
 * source), so the tests that read it run on a fresh clone. Given explicitly,
 * {@code -Dpssst.shared=DIR} reads it from another copy instead, laid out as the shared
 * folder is ({@code DIR/vectors/}, {@code DIR/wycheproof/}); a file missing there fails the
 * test rather than falling back to the bundled copy.
 *
 * <p>The shared folder also holds what the repository does not: the tools ({@code compat-drive})
 * and the Python reference implementation. Tests that need those call {@link #root()}, which
 * skips them, with a message, where the folder is absent.
 */
public final class SharedData {
    public static final String PROPERTY = "pssst.shared";
    private static final String DEFAULT_LOCATION = "../shared";
    private static final Set<String> SKIP_REASONS_SHOWN = ConcurrentHashMap.newKeySet();

    private SharedData() {
    }

    /** The folder given with {@code -Dpssst.shared}, if the user gave one. */
    public static Optional<Path> override() {
        String value = System.getProperty(PROPERTY, "");
        return value.isBlank() ? Optional.empty() : Optional.of(Paths.get(value));
    }

    /** Where the shared folder should be: {@code -Dpssst.shared}, else {@code ../shared}. */
    public static Path location() {
        return override().orElse(Paths.get(DEFAULT_LOCATION));
    }

    /** The shared folder (tools, peers), or a skipped test if it is absent. */
    public static Path root() {
        Path root = location();
        assumeOrSkip(Files.isDirectory(root), "shared folder not found at " + root.toAbsolutePath()
                + " (it holds the Python peer); set -D" + PROPERTY + "=<path to the shared folder> to run this test");
        return root;
    }

    /**
     * Skips the calling test unless {@code condition}, saying why on standard error too, once
     * per reason (the console shows only a count of skipped tests).
     */
    public static void assumeOrSkip(boolean condition, String reason) {
        if (!condition) {
            if (SKIP_REASONS_SHOWN.add(reason)) {
                System.err.println("[pssst tests] SKIPPED: " + reason);
            }
            Assumptions.abort(reason);
        }
    }

    /** Where the test data comes from, for messages: the test resources or the override. */
    public static String dataSource() {
        return override().map(dir -> "-D" + PROPERTY + "=" + dir.toAbsolutePath())
                .orElse("the test resources (src/test/resources/vectors, src/test/resources/third_party/wycheproof)");
    }

    /**
     * A file of the test resources, by its absolute resource name (e.g.
     * {@code /tools/compat-drive.py}), for a process to run: the test classpath is a folder.
     *
     * @throws IllegalStateException if there is no such resource, or it is not a plain file
     */
    public static Path resourceFile(String name) {
        URL url = SharedData.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalStateException("test resource " + url + " is not a file", e);
        }
    }

    /**
     * A JSON data file by its path in the shared folder's layout, e.g.
     * {@code vectors/pssst-interop-vectors.json} or {@code wycheproof/x25519_test.json}: from
     * the test resources, or from the {@code -Dpssst.shared} folder when one is given.
     *
     * @throws IllegalStateException if the file is not there or cannot be read
     */
    public static JsonObject json(String relative) {
        Optional<Path> override = override();
        if (override.isPresent()) {
            Path file = override.get().resolve(relative);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(file.toAbsolutePath() + " not found (-D" + PROPERTY + "="
                        + override.get() + " was given: the test data is read from there, not from the test resources)");
            }
            try (Reader r = Files.newBufferedReader(file)) {
                return JsonParser.parseReader(r).getAsJsonObject();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        String resource = resourceName(relative);
        try (InputStream in = SharedData.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " not found: to use another file of "
                        + relative.substring(0, relative.indexOf('/') + 1) + ", copy it into src/test/resources/"
                        + resource.substring(0, resource.lastIndexOf('/') + 1) + " (see the README there)");
            }
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return JsonParser.parseReader(r).getAsJsonObject();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read test resource " + resource, e);
        }
    }

    /**
     * The test resource holding a file of the shared layout: Wycheproof files are third-party
     * data, kept under {@code third_party/} with their licence.
     */
    static String resourceName(String relative) {
        return relative.startsWith(Wycheproof.DIR) ? "third_party/" + relative : relative;
    }
}
