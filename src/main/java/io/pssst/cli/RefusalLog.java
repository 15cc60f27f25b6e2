package io.pssst.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Logs refused packets at most once per second, one line with a count per reason
 * ("refused in the last 1 s: decrypt-failed 12, not-allowed 1"), never one line per packet.
 * It reads the cumulative counts from {@code counts} on each {@link #tick()} and prints the
 * differences; nothing is printed in a second without refusals.
 */
final class RefusalLog {
    private final Supplier<Map<String, Long>> counts;
    private final PrintStream err;
    private final String prefix;
    private Map<String, Long> last = Map.of();

    RefusalLog(Supplier<Map<String, Long>> counts, PrintStream err, String prefix) {
        this.counts = counts;
        this.err = err;
        this.prefix = prefix;
    }

    /** Prints the refusals since the previous tick, if any. Call it once a second. */
    synchronized void tick() {
        Map<String, Long> now = new TreeMap<>(counts.get());
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long delta = e.getValue() - last.getOrDefault(e.getKey(), 0L);
            if (delta > 0) {
                line.append(line.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(delta);
            }
        }
        last = now;
        if (line.length() > 0) {
            err.println(prefix + "refused in the last second: " + line);
            err.flush();
        }
    }
}
