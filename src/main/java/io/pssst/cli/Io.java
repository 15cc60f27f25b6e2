package io.pssst.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * Where a command reads and writes.
 *
 * @param in standard input
 * @param out standard output (results)
 * @param err standard error (diagnostics, progress)
 * @param terminal whether output goes to an interactive terminal (live progress lines are
 *        drawn only then)
 * @param process whether the command runs as the whole JVM (from {@link Main#main}); only
 *        then may it install shutdown hooks or end the JVM
 */
record Io(InputStream in, PrintStream out, PrintStream err, boolean terminal, boolean process) {
}
