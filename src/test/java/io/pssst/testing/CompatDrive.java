package io.pssst.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The driver that pairs two {@code compat} programs over the interoperability line protocol:
 * {@code src/test/resources/tools/compat-drive.py}, the tool of {@code ../shared/tools/compat-drive}
 * with its lost-line fix (see the script's header). Needs {@code python3}.
 */
public final class CompatDrive {
    private CompatDrive() {
    }

    /** The script, as a file of the test classpath. */
    public static Path script() {
        return SharedData.resourceFile("/tools/compat-drive.py");
    }

    /**
     * {@code python3 compat-drive.py A B --timeout SECONDS}: A and B are shell command lines.
     */
    public static List<String> command(String a, String b, Duration timeout) {
        return List.of("python3", script().toString(), a, b, "--timeout", Long.toString(timeout.toSeconds()));
    }
}
