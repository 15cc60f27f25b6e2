package io.pssst.testing;

import io.pssst.PssstX25519;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test passes on to the JVMs it starts ({@code java -jar pssst.jar ...}), so that a
 * whole test run switched to the built-in X25519 ({@code -Dio.pssst.x25519=builtin}, as
 * {@code .ci/run} does) switches the processes it starts too.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java} options: {@code -Dio.pssst.x25519=...} when this JVM has the property, else none. */
    public static List<String> options() {
        String x25519 = System.getProperty(PssstX25519.PROPERTY);
        return x25519 == null ? List.of() : List.of("-D" + PssstX25519.PROPERTY + "=" + x25519);
    }

    /** {@code java OPTIONS -jar JAR ARGS}. */
    public static List<String> jar(String java, String jar, String... args) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(options());
        c.addAll(List.of("-jar", jar));
        c.addAll(List.of(args));
        return c;
    }
}
