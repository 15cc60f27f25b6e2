package io.pssst.internal.channel;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.spi.SelectorProvider;

/**
 * Finds the selector provider that PSSST's selectors wrap and to which PSSST's provider
 * delegates JDK channels: the "platform" provider. Never PSSST's own provider, so nothing
 * here can recurse.
 *
 * <p>Two cases (a third, PSSST's provider already the JVM-wide one, is the provider's own to
 * handle: it shares that instance's lookup):
 * <ul>
 *   <li>Usual: PSSST's provider is not the JVM-wide one. {@link SelectorProvider#provider()}
 *       is the platform provider (the JDK's, or whatever the JVM was configured with).</li>
 *   <li>Installed JVM-wide with {@code -Djava.nio.channels.spi.SelectorProvider}: the JDK
 *       constructs PSSST's provider while initialising {@code SelectorProvider.provider()}, so
 *       that call returns {@code null} on this thread (a recursive class initialisation), and
 *       afterwards it returns PSSST's provider. The JDK has no public API that reaches its own
 *       provider once the property names another class (its only holder is
 *       {@code sun.nio.ch.DefaultSelectorProvider}, in a package {@code java.base} does not
 *       export; {@code java.net.DatagramSocket} uses it internally but never exposes its
 *       channel). So this reads it reflectively, which needs the launcher option
 *       {@code --add-exports java.base/sun.nio.ch=io.pssst} (module path) or
 *       {@code =ALL-UNNAMED} (class path). Without it, the lookup fails with a message saying
 *       exactly that, and every {@code open…} call of the provider throws it as an
 *       {@link IOException}: {@code Selector.open()} keeps failing with a clear, typed error
 *       instead of the JDK's {@code ServiceConfigurationError} followed by
 *       {@code NoClassDefFoundError}s.</li>
 * </ul>
 */
public final class PlatformProvider {
    /** The JDK's system property that names the JVM-wide selector provider class. */
    public static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";

    private static final String INTERNAL_PACKAGE = "sun.nio.ch";
    private static final String INTERNAL_CLASS = INTERNAL_PACKAGE + ".DefaultSelectorProvider";

    private final SelectorProvider provider;
    private final String failure;

    private PlatformProvider(SelectorProvider provider, String failure) {
        this.provider = provider;
        this.failure = failure;
    }

    /**
     * Finds the platform provider for a PSSST provider of class {@code own}, given what
     * {@link SelectorProvider#provider()} returned (never an instance of {@code own}: the
     * caller shares that instance's lookup instead). Never throws: a failure is kept for
     * {@link #get()}.
     */
    public static PlatformProvider find(SelectorProvider jvmWide, Class<? extends SelectorProvider> own) {
        if (jvmWide != null) {
            return new PlatformProvider(jvmWide, null);
        }
        return jdkDefault(own);                     // the JDK is constructing us as JVM-wide
    }

    /**
     * The platform provider.
     *
     * @throws IOException if it could not be found (installed JVM-wide without the needed
     *         {@code --add-exports}); the message says what to do
     */
    public SelectorProvider get() throws IOException {
        if (provider == null) {
            throw new IOException(failure);
        }
        return provider;
    }

    private static PlatformProvider jdkDefault(Class<? extends SelectorProvider> own) {
        Module self = PlatformProvider.class.getModule();
        String problem = "PSSST's selector provider is installed JVM-wide (-D" + PROPERTY
                + ") and cannot reach the JDK's own provider: ";
        if (!Object.class.getModule().isExported(INTERNAL_PACKAGE, self)) {
            return new PlatformProvider(null, problem + "launch with --add-exports java.base/"
                    + INTERNAL_PACKAGE + "=" + (self.isNamed() ? self.getName() : "ALL-UNNAMED"));
        }
        try {
            Object found = Class.forName(INTERNAL_CLASS).getMethod("get").invoke(null);
            if (found instanceof SelectorProvider sp && !own.isInstance(sp)) {
                return new PlatformProvider(sp, null);
            }
            return new PlatformProvider(null, problem + INTERNAL_CLASS + ".get() returned " + found);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            return new PlatformProvider(null, problem + INTERNAL_CLASS
                    + ".get() is not usable on this JDK (" + cause + ")");
        }
    }
}
