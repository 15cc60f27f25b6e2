package io.pssst.internal.channel;

import io.pssst.channel.PssstChannelStats;
import io.pssst.channel.PssstChannelStats.DropReason;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One reading of a channel for its MXBean ({@link ChannelMBean}): its attributes by name, in
 * order, each a counter (only grows), a gauge, a text, or a table (a map from a key, such as a
 * public key in hex, to a count). Made anew for each JMX read. The names are the MBean's
 * attributes, fixed by the first reading: a later reading must have the same names.
 */
public final class MBeanReadings {
    /** What an attribute is: its open type and its descriptor's {@code metricType}. */
    enum Kind {
        COUNTER, GAUGE, TEXT, TABLE
    }

    /** One attribute's value: a {@code Long}, a {@code String}, or a sorted {@code Map<String, Long>}. */
    record Reading(Kind kind, Object value, String about) {
    }

    private final Map<String, Reading> readings = new LinkedHashMap<>();

    /**
     * Every counter of {@code stats}, generically, so that a counter or drop reason added to
     * {@link PssstChannelStats} appears here without a change: one attribute per entry of
     * {@link PssstChannelStats#counters()} (its name capitalised: {@code RequestsAccepted}),
     * one per {@link DropReason} ({@code Dropped} and the reason in camel case:
     * {@code DroppedDecryptFailed}), and {@code DroppedTotal}.
     *
     * @param stats the snapshot
     * @return the readings, for the channel to add its gauges and texts to
     */
    public static MBeanReadings of(PssstChannelStats stats) {
        MBeanReadings r = new MBeanReadings();
        stats.counters().forEach((name, count) -> r.counter(capitalised(name), count,
                "PssstChannelStats." + name + "(): only grows"));
        for (DropReason reason : DropReason.values()) {
            r.counter(dropAttribute(reason), stats.dropped(reason),
                    "Datagrams dropped as " + reason + ": PssstChannelStats.dropped(" + reason + ")");
        }
        r.counter("DroppedTotal", stats.droppedTotal(), "Datagrams dropped for any reason");
        // Counts kept per key (a server's requests opened per key) are added by the channel, as a table.
        return r;
    }

    /** {@code DECRYPT_FAILED} → {@code DroppedDecryptFailed}. */
    public static String dropAttribute(DropReason reason) {
        StringBuilder b = new StringBuilder("Dropped");
        for (String word : reason.name().split("_")) {
            b.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    /** {@code repliesSent} → {@code RepliesSent}. */
    public static String capitalised(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /**
     * Adds a counter: a count that only grows.
     *
     * @param name the attribute's name
     * @param value its value now
     * @param about its description
     * @return this
     */
    public MBeanReadings counter(String name, long value, String about) {
        return add(name, Kind.COUNTER, value, about);
    }

    /**
     * Adds a gauge: a value now, which may go up or down.
     *
     * @param name the attribute's name
     * @param value its value now
     * @param about its description
     * @return this
     */
    public MBeanReadings gauge(String name, long value, String about) {
        return add(name, Kind.GAUGE, value, about);
    }

    /**
     * Adds a text.
     *
     * @param name the attribute's name
     * @param value its value now
     * @param about its description
     * @return this
     */
    public MBeanReadings text(String name, String value, String about) {
        return add(name, Kind.TEXT, Objects.requireNonNull(value, name), about);
    }

    /**
     * Adds a table: counts by key (shown sorted by key).
     *
     * @param name the attribute's name
     * @param rows the counts by key now (copied)
     * @param about its description
     * @return this
     */
    public MBeanReadings table(String name, Map<String, Long> rows, String about) {
        return add(name, Kind.TABLE, Collections.unmodifiableMap(new TreeMap<>(rows)), about);
    }

    private MBeanReadings add(String name, Kind kind, Object value, String about) {
        if (readings.putIfAbsent(name, new Reading(kind, value, about)) != null) {
            throw new IllegalArgumentException("two attributes named " + name);
        }
        return this;
    }

    /** The readings by attribute name, in the order they were added. */
    Map<String, Reading> all() {
        return readings;
    }
}
