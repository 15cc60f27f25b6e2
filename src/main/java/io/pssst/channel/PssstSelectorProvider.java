package io.pssst.channel;

import io.pssst.internal.channel.PlatformProvider;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The selector provider of PSSST channels: its selectors ({@link PssstSelector}) accept PSSST
 * channels and ordinary JDK channels side by side, which the JDK's own selectors cannot do
 * (they refuse every channel class but their own with
 * {@link java.nio.channels.IllegalSelectorException}).
 *
 * <p>Three ways to get a selector that PSSST channels can join:
 * <ul>
 *   <li>{@link PssstSelector#open()};</li>
 *   <li>{@code PssstSelectorProvider.provider().openSelector()}, or
 *       {@code channel.provider().openSelector()} on a PSSST channel;</li>
 *   <li>opt-in, JVM-wide: launch with
 *       {@code -Djava.nio.channels.spi.SelectorProvider=io.pssst.channel.PssstSelectorProvider}
 *       and {@code --add-exports java.base/sun.nio.ch=io.pssst} (module path; the module must
 *       be resolved, e.g. {@code --add-modules io.pssst}) or {@code =ALL-UNNAMED} (class path).
 *       Then unchanged {@code Selector.open()} calls, including those inside libraries and the
 *       JDK itself ({@code java.net.http}, {@code jdk.httpserver}), return PSSST selectors. The
 *       {@code --add-exports} is needed because the JDK offers no public way to reach its own
 *       provider once that property names another one; see docs/selector.md for why and for
 *       the caveats. This jar deliberately declares no {@code SelectorProvider} service, so
 *       merely having it on the class or module path changes nothing.</li>
 * </ul>
 *
 * <p>Channels: {@code openDatagramChannel}, {@code openPipe}, {@code openServerSocketChannel},
 * {@code openSocketChannel} and {@code inheritedChannel} return the platform provider's
 * ordinary JDK channels (whose {@code provider()} is therefore the platform provider, not this
 * one); PSSST channels are only ever created explicitly.
 *
 * <p>Thread-safe; the instance returned by {@link #provider()} is shared by the whole JVM.
 */
public final class PssstSelectorProvider extends SelectorProvider {
    /** The provider this one delegates to; shared by every instance in the JVM. */
    final PlatformProvider platform; // package-private for tests

    /**
     * Creates a provider. Meant for the JDK, which instantiates the class named by
     * {@code -Djava.nio.channels.spi.SelectorProvider}; code should call {@link #provider()}.
     * Never throws for a missing {@code --add-exports}: the provider's {@code open…} methods
     * report it as an {@link IOException} instead.
     *
     * @throws SecurityException if a security manager denies
     *         {@code RuntimePermission("selectorProvider")}
     */
    public PssstSelectorProvider() {
        SelectorProvider jvmWide = SelectorProvider.provider();
        this.platform = jvmWide instanceof PssstSelectorProvider p ? p.platform       // share its lookup
                : PlatformProvider.find(jvmWide, PssstSelectorProvider.class);
    }

    /**
     * The JVM's PSSST selector provider: the JVM-wide provider when PSSST's is installed as
     * such, otherwise one shared instance that wraps the JVM-wide provider.
     *
     * @return the provider
     */
    public static PssstSelectorProvider provider() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final PssstSelectorProvider INSTANCE = create();

        private static PssstSelectorProvider create() {
            SelectorProvider jvmWide = SelectorProvider.provider();
            return jvmWide instanceof PssstSelectorProvider p ? p : new PssstSelectorProvider();
        }
    }

    /**
     * Opens a selector that accepts PSSST channels and ordinary JDK channels of the platform
     * provider.
     *
     * @throws IOException if the platform selector cannot be opened, or (installed JVM-wide
     *         without the needed {@code --add-exports}) the platform provider is unreachable
     */
    @Override
    public PssstSelector openSelector() throws IOException {
        return new PssstSelector(this, platform.get().openSelector());
    }

    /** An ordinary JDK datagram channel, from the platform provider. */
    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return platform.get().openDatagramChannel();
    }

    /** An ordinary JDK datagram channel of the given family, from the platform provider. */
    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return platform.get().openDatagramChannel(family);
    }

    /** An ordinary JDK pipe, from the platform provider. */
    @Override
    public Pipe openPipe() throws IOException {
        return platform.get().openPipe();
    }

    /** An ordinary JDK server-socket channel, from the platform provider. */
    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return platform.get().openServerSocketChannel();
    }

    /** An ordinary JDK server-socket channel of the given family, from the platform provider. */
    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return platform.get().openServerSocketChannel(family);
    }

    /** An ordinary JDK socket channel, from the platform provider. */
    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return platform.get().openSocketChannel();
    }

    /** An ordinary JDK socket channel of the given family, from the platform provider. */
    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return platform.get().openSocketChannel(family);
    }

    /** The channel inherited from the process that created this JVM, as the platform sees it. */
    @Override
    public Channel inheritedChannel() throws IOException {
        return platform.get().inheritedChannel();
    }
}
