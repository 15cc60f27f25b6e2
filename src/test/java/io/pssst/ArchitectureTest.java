package io.pssst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the module, measured and enforced. The JDK's {@code jdeps} reads the
 * compiled classes ({@code target/classes}, class by class); every class of the project is
 * assigned to one <em>part</em> by the rules below (a nested class goes with its top-level
 * class), and the parts are ordered in layers, bottom first. A dependency of a part on a part
 * of its own layer or a layer above is an <em>arrow against the order</em>; each one allowed
 * is listed in {@link #ALLOWED} with its reason. The test fails on any other arrow against the
 * order, on any cycle between parts, on an engine that depends on anything of the project but
 * its own primitives and the exceptions, on a source file in {@code src/main} longer than
 * {@value #MAX_LINES} lines, and on a library class (outside the CLI) that prints to the console.
 *
 * <p>The figures it prints (parts, layers, arrows, arrows against the order) are those
 * docs/architecture.md quotes; run {@code mvn -o -q test -Dtest=ArchitectureTest} to see them.
 */
class ArchitectureTest {
    static final int MAX_LINES = 500;

    /** One part of the module: a name, its layer (0 = bottom), and which classes it holds. */
    private record Part(String name, int layer, Predicate<String> holds) {
    }

    private static Predicate<String> pkg(String name) {
        return c -> packageOf(c).equals(name);
    }

    private static Predicate<String> named(String... simpleNames) {
        Set<String> names = Set.of(simpleNames);
        return c -> names.contains(c.substring(c.lastIndexOf('.') + 1));
    }

    private static final String CHANNEL = "io.pssst.channel";

    /**
     * The parts, bottom layer first; a class belongs to the first part whose rule holds it.
     * Each exported package splits into its vocabulary (values, specs, policies, exceptions:
     * what depends on nothing above it) and its entry points (the facade, the provider, the
     * channels and selector), with the package's internals between them.
     */
    private static final List<Part> PARTS = List.of(
            new Part("x25519", 0, pkg("io.pssst.internal.x25519")),
            new Part("vocabulary", 1, pkg("io.pssst").and(c -> c.endsWith("Exception") || c.endsWith(".PssstX25519"))),
            new Part("engine", 2, pkg("io.pssst.internal")),
            new Part("api", 3, pkg("io.pssst")),
            new Part("jca-specs", 3, pkg("io.pssst.jca").and(named("PssstProvider").negate())),
            new Part("channel-values", 3, pkg(CHANNEL).and(named("PssstDatagramChannel", "PssstClientChannel",
                    "PssstServerChannel", "PssstPendingRequest", "PssstSelector", "PssstSelectorProvider",
                    "LayeredDatagramChannel", "ManagedDatagramChannel", "ChannelBuilder").negate())),
            new Part("jca-spi", 4, pkg("io.pssst.internal.jca")),
            new Part("channel-machinery", 4, pkg("io.pssst.internal.channel")),
            new Part("jca-provider", 5, pkg("io.pssst.jca")),
            new Part("channels", 5, pkg(CHANNEL)),
            new Part("cli", 6, pkg("io.pssst.cli")));

    /** Arrows against the order that are accepted, "from -> to", each with its reason. */
    private static final Map<String, String> ALLOWED = Map.of();

    /** The parts the engine may depend on. */
    private static final Set<String> ENGINE_MAY_USE = Set.of("x25519", "vocabulary");

    private static Path classes;
    private static Map<String, Set<String>> classDeps;   // top-level class -> top-level classes it uses

    @BeforeAll
    static void readClasses() throws URISyntaxException {
        classes = Path.of(PssstClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")),
                "the module's classes, not a jar: " + classes);
        classDeps = jdeps(classes);
    }

    /** {@code jdeps -verbose:class} over {@code dir}: every project class and the project classes it uses. */
    static Map<String, Set<String>> jdeps(Path dir) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none",
                dir.toString());
        assertEquals(0, status, () -> "jdeps failed: " + err + out);
        Pattern arrow = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)(\\s.*)?$");
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = arrow.matcher(line);
            if (!m.matches() || !m.group(1).startsWith("io.pssst.")) {
                continue;
            }
            String from = topLevel(m.group(1));
            Set<String> uses = deps.computeIfAbsent(from, k -> new TreeSet<>());
            String to = topLevel(m.group(2));
            if (to.startsWith("io.pssst.") && !to.equals(from)) {
                uses.add(to);
            }
        }
        assertFalse(deps.isEmpty(), () -> "jdeps reported no class of the project:\n" + out);
        return deps;
    }

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static Part partOf(String className) {
        return PARTS.stream().filter(p -> p.holds().test(className)).findFirst()
                .orElseThrow(() -> new AssertionError(className + " belongs to no part: add it to a rule of "
                        + "ArchitectureTest.PARTS (and to the package list of docs/architecture.md)"));
    }

    /** The arrows between parts: part -> parts it uses, with one class-level example each. */
    private static Map<String, Map<String, String>> partArrows() {
        Map<String, Map<String, String>> arrows = new TreeMap<>();
        classDeps.forEach((from, uses) -> {
            Part a = partOf(from);
            arrows.computeIfAbsent(a.name(), k -> new TreeMap<>());
            for (String to : uses) {
                Part b = partOf(to);
                if (a != b) {
                    arrows.get(a.name()).putIfAbsent(b.name(), from + " -> " + to);
                }
            }
        });
        return arrows;
    }

    private static Part part(String name) {
        return PARTS.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void layering_noArrowAgainstTheOrderBeyondTheAllowList_figuresPrinted() {
        Map<String, Map<String, String>> arrows = partArrows();
        List<String> against = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, Map<String, String>> e : arrows.entrySet()) {
            for (Map.Entry<String, String> to : e.getValue().entrySet()) {
                count++;
                if (part(to.getKey()).layer() >= part(e.getKey()).layer()) {
                    String arrow = e.getKey() + " -> " + to.getKey();
                    against.add(arrow);
                    if (!ALLOWED.containsKey(arrow)) {
                        unexplained.add(arrow + " (e.g. " + to.getValue() + ")");
                    }
                }
            }
        }
        long layers = arrows.keySet().stream().map(p -> part(p).layer()).distinct().count();
        StringBuilder report = new StringBuilder();
        report.append(String.format("Architecture: %d parts on %d layers, %d arrows between parts, %d against the order"
                + " (%d allowed), %d classes%n", arrows.size(), layers, count, against.size(),
                against.stream().filter(ALLOWED::containsKey).count(), classDeps.size()));
        for (Part p : PARTS) {
            long n = classDeps.keySet().stream().filter(c -> partOf(c) == p).count();
            report.append(String.format("  layer %d  %-18s %3d classes -> %s%n", p.layer(), p.name(), n,
                    arrows.getOrDefault(p.name(), Map.of()).keySet()));
        }
        System.out.print(report);
        assertEquals(List.of(), unexplained, "arrows against the layering:\n" + report);
        List<String> stale = ALLOWED.keySet().stream().filter(a -> !against.contains(a)).collect(Collectors.toList());
        assertEquals(List.of(), stale, "allow-list entries no longer needed");
        assertTrue(ALLOWED.size() <= 5, "at most five arrows against the order");
    }

    @Test
    void parts_noCycle() {
        Map<String, Map<String, String>> arrows = partArrows();
        List<List<String>> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(arrows)) {
            if (component.size() > 1) {
                cycles.add(new ArrayList<>(component));
            }
        }
        assertEquals(List.of(), cycles, "parts that depend on each other");
    }

    @Test
    void engine_usesNothingOfTheProjectButItsPrimitivesAndTheExceptions() {
        Map<String, String> uses = partArrows().getOrDefault("engine", Map.of());
        List<String> wrong = uses.entrySet().stream().filter(e -> !ENGINE_MAY_USE.contains(e.getKey()))
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.toList());
        assertEquals(List.of(), wrong, "the engine must not depend on the surfaces");
    }

    @Test
    void everyClass_inOnePart() {
        List<String> orphans = classDeps.keySet().stream()
                .filter(c -> PARTS.stream().noneMatch(p -> p.holds().test(c))).collect(Collectors.toList());
        assertEquals(List.of(), orphans);
    }

    @Test
    void sources_noFileLongerThanTheLimit() throws IOException {
        Path src = classes.getParent().getParent().resolve("src/main");
        assertTrue(Files.isDirectory(src), src::toString);
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                long lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = l.count();
                }
                if (lines > MAX_LINES) {
                    tooLong.add(src.relativize(f) + ": " + lines);
                }
            }
        }
        assertEquals(List.of(), tooLong, "files in src/main longer than " + MAX_LINES + " lines");
    }

    /**
     * The library writes nothing to the console: no class outside the CLI names a
     * {@code PrintStream} (as reading {@code System.out} or {@code System.err} does) or calls
     * {@code printStackTrace}. It logs through {@code System.Logger} (docs/channel.md, "Logging").
     * Checked in the compiled classes' constant pools, so comments do not count.
     */
    @Test
    void library_printsNothing_onlyTheCliUsesTheConsole() throws IOException {
        List<String> printing = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (name.startsWith("io/pssst/cli/") || name.startsWith("META-INF/")) {
                    continue;
                }
                checked++;
                String pool = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String use : List.of("Ljava/io/PrintStream;", "printStackTrace")) {
                    if (pool.contains(use)) {
                        printing.add(name + ": " + use);
                    }
                }
            }
        }
        assertTrue(checked > 50, "library classes checked: " + checked);
        assertEquals(List.of(), printing, "library classes that print to the console");
    }

    /** Tarjan's strongly connected components of the part graph. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> arrows) {
        Set<String> nodes = new TreeSet<>(arrows.keySet());
        arrows.values().forEach(m -> nodes.addAll(m.keySet()));
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        List<String> stack = new ArrayList<>();
        List<Set<String>> components = new ArrayList<>();
        for (String n : nodes) {
            if (!index.containsKey(n)) {
                connect(n, arrows, index, low, stack, components);
            }
        }
        return components;
    }

    private static void connect(String v, Map<String, Map<String, String>> arrows, Map<String, Integer> index,
            Map<String, Integer> low, List<String> stack, List<Set<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.add(v);
        for (String w : arrows.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, arrows, index, low, stack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
