package io.pssst.interop;

import io.pssst.pool.PoolProcess;
import io.pssst.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Python reference implementation of PSSST (pypssst, in {@code ../shared/peers/pypssst})
 * as a test peer: where it is, whether this machine can run it, and
 * the command lines of the scripts the tests use. Where the shared folder, python3 or a Python
 * package it needs is absent, the test is skipped with a message saying which; CI
 * ({@code .ci/run}) installs them.
 */
final class Pypssst {
    private static final Duration CHECK = Duration.ofSeconds(30);

    private final Path peer;

    private Pypssst(Path peer) {
        this.peer = peer;
    }

    /**
     * The peer, once {@code python3} (from PATH) has imported it and {@code modules} in
     * {@code dir}; skips the test otherwise.
     *
     * @param modules further Python modules the test needs (e.g. {@code click} for
     *        {@code compatibility.py})
     */
    static Pypssst require(Path dir, String... modules) throws IOException, InterruptedException {
        Path shared = SharedData.root().toAbsolutePath().normalize();
        Path peer = shared.resolve("peers").resolve("pypssst");
        SharedData.assumeOrSkip(Files.isRegularFile(peer.resolve("pssst").resolve("__init__.py")),
                "no pypssst at " + peer + ": live interop test skipped");
        Pypssst py = new Pypssst(peer);
        List<String> imports = new ArrayList<>(List.of("pssst"));
        imports.addAll(List.of(modules));
        String statement = "import " + String.join(", ", imports);
        try (PoolProcess check = PoolProcess.start("python3-check", dir, CHECK, py.python("-c", statement))) {
            int status = check.waitFor(CHECK);
            SharedData.assumeOrSkip(status == 0, "python3 cannot run '" + statement + "' (it needs Python 3 and"
                    + " the Debian packages python3-cryptography and python3-click): live interop test skipped\n"
                    + check.output().strip());
        }
        return py;
    }

    /** {@code python3 ARGS} with the peer on {@code PYTHONPATH}. */
    List<String> python(String... args) {
        List<String> command = new ArrayList<>(List.of("env", "PYTHONPATH=" + peer, "python3"));
        command.addAll(List.of(args));
        return command;
    }

    /** A script of this package's test resources (e.g. {@code pypssst_client.py}), as a file. */
    static Path script(String name) {
        return SharedData.resourceFile("/io/pssst/interop/" + name);
    }

    /** pypssst's {@code compatibility.py} as one shell command line (compat-drive runs each side through a shell). */
    String compatCommand() {
        return "PYTHONPATH=" + shellQuote(peer.toString()) + " python3 "
                + shellQuote(peer.resolve("examples").resolve("compatibility.py").toString());
    }

    /** {@code command} as one POSIX shell command line, every word single-quoted. */
    static String shellCommand(List<String> command) {
        StringBuilder b = new StringBuilder();
        for (String word : command) {
            b.append(b.length() == 0 ? "" : " ").append(shellQuote(word));
        }
        return b.toString();
    }

    private static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
