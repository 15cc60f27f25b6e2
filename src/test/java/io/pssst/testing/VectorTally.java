package io.pssst.testing;

import io.pssst.testing.InteropVectors.Invalid;
import io.pssst.testing.InteropVectors.Transaction;
import io.pssst.testing.Wycheproof.Case;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Counts the vectors each test class checked and prints one line per class and family when
 * the class is done, e.g. {@code [pssst vectors] X25519WycheproofTest: Wycheproof
 * x25519_test.json: 518 cases checked}. Registered by {@link RequiresSharedData}.
 *
 * <p>A vector counts as checked by a class when a test of that class that passed was given it
 * as an argument ({@link Transaction}, {@link Invalid}, {@link Case}, or a record holding one),
 * or read its test fields while running ({@link Case#hex}, {@link Case#string}: a case a test
 * filtered out by its group is not counted). Vectors of failed tests are not counted. Each
 * vector counts once per class however many tests used it.
 */
public final class VectorTally implements BeforeAllCallback, InvocationInterceptor, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VectorTally.class);
    /** Kinds in the order the lines give them (others, none so far, first). */
    private static final List<String> KIND_ORDER = List.of("cases", "valid", "invalid");
    private static final AtomicBoolean SOURCE_SHOWN = new AtomicBoolean();
    /** The vectors the running test has read (JUnit runs a class's tests on one thread, one at a time). */
    private static final ThreadLocal<Counts> CURRENT = new ThreadLocal<>();

    /** Vector ids by family (e.g. "interop vectors") and kind (e.g. "valid"), in first-seen order. */
    private static final class Counts {
        final Map<String, Map<String, Set<String>>> ids = new LinkedHashMap<>();
        int failedTests;

        void add(String family, String kind, String id) {
            ids.computeIfAbsent(family, f -> new LinkedHashMap<>()).computeIfAbsent(kind, k -> new TreeSet<>()).add(id);
        }

        void addAll(Counts other) {
            other.ids.forEach((family, kinds) -> kinds.forEach((kind, set) -> set.forEach(id -> add(family, kind, id))));
        }
    }

    /**
     * Notes that the running test is checking a vector (counted if the test passes). Does
     * nothing outside a test of a class marked {@link RequiresSharedData}.
     *
     * @param family e.g. {@code "Wycheproof x25519_test.json"}
     * @param kind e.g. {@code "cases"}, {@code "valid"}, {@code "invalid"}
     * @param id the vector's id within its family and kind
     */
    public static void checking(String family, String kind, Object id) {
        Counts c = CURRENT.get();
        if (c != null) {
            c.add(family, kind, String.valueOf(id));
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Counts.class, new Counts());
        if (SOURCE_SHOWN.compareAndSet(false, true)) {
            System.out.println("[pssst vectors] test data from " + SharedData.dataSource());
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        count(invocation, List.of(), context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        count(invocation, invocationContext.getArguments(), context);
    }

    private static void count(Invocation<Void> invocation, List<Object> arguments, ExtensionContext context)
            throws Throwable {
        Counts classCounts = context.getStore(NAMESPACE).get(Counts.class, Counts.class);
        Counts mine = new Counts();
        CURRENT.set(mine);
        try {
            invocation.proceed();
        } catch (Throwable t) {
            if (classCounts != null) {
                classCounts.failedTests++;
            }
            throw t;
        } finally {
            CURRENT.remove();
        }
        if (classCounts != null) {
            for (Object argument : arguments) {
                addArgument(mine, argument, true);
            }
            classCounts.addAll(mine);
        }
    }

    /** A vector argument, or (one level down) a record holding vectors. */
    private static void addArgument(Counts counts, Object argument, boolean unwrap) {
        if (argument instanceof Transaction t) {
            counts.add("interop vectors", "valid", Integer.toString(t.id()));
        } else if (argument instanceof Invalid v) {
            counts.add("interop vectors", "invalid", Integer.toString(v.id()));
        } else if (argument instanceof Case c) {
            counts.add("Wycheproof " + c.file(), "cases", Integer.toString(c.tcId()));
        } else if (unwrap && argument != null && argument.getClass().isRecord()) {
            for (RecordComponent component : argument.getClass().getRecordComponents()) {
                try {
                    Method accessor = component.getAccessor();
                    accessor.setAccessible(true); // test records are often package-private
                    addArgument(counts, accessor.invoke(argument), false);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // not a vector holder we can read: nothing to count
                }
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Counts counts = context.getStore(NAMESPACE).get(Counts.class, Counts.class);
        String name = context.getRequiredTestClass().getSimpleName();
        String failed = counts.failedTests == 0 ? ""
                : " (by the tests that passed; " + counts.failedTests + " failed)";
        if (counts.ids.isEmpty()) {
            System.out.println("[pssst vectors] " + name + ": no vectors checked" + failed);
        }
        counts.ids.forEach((family, kinds) -> System.out.println("[pssst vectors] " + name + ": " + family + ": "
                + kinds.entrySet().stream().sorted(Comparator.comparingInt(e -> KIND_ORDER.indexOf(e.getKey())))
                        .map(e -> e.getValue().size() + " " + e.getKey())
                        .collect(Collectors.joining(", "))
                + " checked" + failed));
    }
}
