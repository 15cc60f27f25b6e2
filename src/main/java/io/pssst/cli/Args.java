package io.pssst.cli;

import io.pssst.PssstX25519;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed command line: GNU-style long options ({@code --name value} or {@code --name=value}),
 * some of which may be repeated, flags, and positional arguments; {@code --} ends the options and a lone {@code -} is a
 * positional argument (standard input). {@code --help} and {@code --verbose} are accepted by
 * every command. Every error is a {@link UsageException}.
 */
final class Args {
    private final Map<String, String> values;
    private final Map<String, List<String>> repeated;
    private final Set<String> flags;
    private final List<String> positional;

    private Args(Map<String, String> values, Map<String, List<String>> repeated, Set<String> flags,
            List<String> positional) {
        this.values = values;
        this.repeated = repeated;
        this.flags = flags;
        this.positional = positional;
    }

    /**
     * What a command accepts: options that take a value, flags, and how many positional
     * arguments.
     */
    static final class Spec {
        private final Set<String> valued = new LinkedHashSet<>();
        private final Set<String> repeatable = new LinkedHashSet<>();
        private final Set<String> flags = new LinkedHashSet<>(List.of("--help", "--verbose"));
        private int minPositional;
        private int maxPositional;

        /** Options that take a value, e.g. {@code "--out"}. */
        Spec values(String... names) {
            valued.addAll(List.of(names));
            return this;
        }

        /** Options that take a value and may be given more than once, e.g. {@code "--previous-key"}. */
        Spec repeatable(String... names) {
            repeatable.addAll(List.of(names));
            return this;
        }

        /** Options that take no value, e.g. {@code "--hex"}. */
        Spec flags(String... names) {
            flags.addAll(List.of(names));
            return this;
        }

        /** Between {@code min} and {@code max} positional arguments. */
        Spec positional(int min, int max) {
            minPositional = min;
            maxPositional = max;
            return this;
        }
    }

    /** Parses {@code argv} (the arguments after the command name) against {@code spec}. */
    static Args parse(Spec spec, List<String> argv) throws UsageException {
        Map<String, String> values = new HashMap<>();
        Map<String, List<String>> repeated = new HashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        List<String> positional = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                positional.add(a);
            } else if (a.equals("--")) {
                optionsEnded = true;
            } else {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                if (name.equals("-h")) {
                    name = "--help";
                }
                if (spec.flags.contains(name)) {
                    if (eq >= 0) {
                        throw new UsageException(name + " takes no value");
                    }
                    flags.add(name);
                } else if (spec.valued.contains(name) || spec.repeatable.contains(name)) {
                    String v;
                    if (eq >= 0) {
                        v = a.substring(eq + 1);
                    } else if (i + 1 < argv.size()) {
                        v = argv.get(++i);
                    } else {
                        throw new UsageException(name + " needs a value");
                    }
                    if (spec.repeatable.contains(name)) {
                        repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
                    } else if (values.put(name, v) != null) {
                        throw new UsageException(name + " given twice");
                    }
                } else {
                    throw new UsageException("unknown option " + name);
                }
            }
        }
        Args args = new Args(values, repeated, flags, Collections.unmodifiableList(positional));
        if (!args.flag("--help")) {
            if (positional.size() < spec.minPositional) {
                throw new UsageException(spec.minPositional == 1 ? "an argument is missing" : "arguments are missing");
            }
            if (positional.size() > spec.maxPositional) {
                throw new UsageException("unexpected argument '" + positional.get(spec.maxPositional) + "'");
            }
        }
        return args;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** Every value of a repeatable option, in the order given (empty when absent). */
    List<String> values(String name) {
        return List.copyOf(repeated.getOrDefault(name, List.of()));
    }

    String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(name + " is required");
        }
        return v;
    }

    List<String> positional() {
        return positional;
    }

    /** The positional argument at {@code index}, or {@code dflt} if absent. */
    String positional(int index, String dflt) {
        return index < positional.size() ? positional.get(index) : dflt;
    }

    /** An integer option in {@code [min, max]}, or {@code dflt} when absent. */
    int intValue(String name, int dflt, int min, int max) throws UsageException {
        return (int) longValue(name, dflt, min, max);
    }

    /** A long option in {@code [min, max]}, or {@code dflt} when absent. */
    long longValue(String name, long dflt, long min, long max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(name + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    /** The help line of {@code --x25519}, for the commands that take it. */
    static final String X25519_HELP = """
              --x25519 jdk|builtin   which X25519 implementation to use (default: jdk, or the
                                     system property io.pssst.x25519); builtin is PSSST's own,
                                     several times faster (docs/x25519.md)""";

    /**
     * {@code --x25519 jdk|builtin}, or the configured default ({@link PssstX25519#configured()}).
     *
     * @throws UsageException for another value
     * @throws CommandFailedException if the default comes from an invalid system property
     */
    PssstX25519 x25519() throws UsageException, CommandFailedException {
        String v = values.get("--x25519");
        if (v != null) {
            try {
                return PssstX25519.parse(v);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--x25519 must be jdk or builtin, not '" + v + "'");
            }
        }
        try {
            return PssstX25519.configured();
        } catch (IllegalStateException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
    }

    /** A choice among {@code allowed}, or {@code dflt} when absent. */
    String choice(String name, String dflt, String... allowed) throws UsageException {
        String v = values.getOrDefault(name, dflt);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new UsageException(name + " must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
    }
}
