package io.pssst.channel;

import static io.pssst.channel.SelectorTesting.openJdkDatagram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The provider (not installed JVM-wide here), and which channels a selector accepts. */
@Timeout(60)
class PssstSelectorProviderTest {

    @Test
    void provider_sharedInstanceWrappingTheJvmDefault() throws IOException {
        PssstSelectorProvider provider = PssstSelectorProvider.provider();
        assertSame(provider, PssstSelectorProvider.provider());
        assertFalse(SelectorProvider.provider() instanceof PssstSelectorProvider);
        assertSame(SelectorProvider.provider(), provider.platform.get());
        assertSame(SelectorProvider.provider(), new PssstSelectorProvider().platform.get());
    }

    @Test
    void openSelector_allWays_pssstSelectorsOfTheProvider() throws IOException {
        PssstSelectorProvider provider = PssstSelectorProvider.provider();
        try (ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback();
             PssstSelector a = PssstSelector.open();
             PssstSelector b = provider.openSelector();
             Selector c = ch.provider().openSelector()) {
            for (Selector s : List.of(a, b, c)) {
                assertInstanceOf(PssstSelector.class, s);
                assertSame(provider, s.provider());
                assertTrue(s.isOpen());
            }
        }
    }

    @Test
    void openChannels_delegateToPlatformProvider() throws IOException {
        PssstSelectorProvider provider = PssstSelectorProvider.provider();
        SelectorProvider platform = SelectorProvider.provider();
        Pipe pipe = provider.openPipe();
        List<AbstractSelectableChannel> channels = List.of(
                provider.openDatagramChannel(),
                provider.openDatagramChannel(StandardProtocolFamily.INET),
                provider.openServerSocketChannel(),
                provider.openServerSocketChannel(StandardProtocolFamily.INET),
                provider.openSocketChannel(),
                provider.openSocketChannel(StandardProtocolFamily.INET),
                pipe.source(), pipe.sink());
        try {
            for (AbstractSelectableChannel ch : channels) {
                assertSame(platform, ch.provider(), ch.getClass().getName());
                assertTrue(ch.getClass().getName().startsWith("sun.nio.ch."), ch.getClass().getName());
            }
        } finally {
            for (Channel ch : channels) {
                ch.close();
            }
        }
    }

    @Test
    void jdkSelector_wrappedChannel_refusedWhichIsWhyThisProviderExists() throws IOException {
        try (Selector jdk = Selector.open();
             ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback()) {
            assertThrows(IllegalSelectorException.class,
                    () -> wrapped.register(jdk, SelectionKey.OP_READ));
            assertFalse(wrapped.isRegistered());
        }
    }

    @Test
    void register_innerChannelAlreadyRegistered_refusedSoNoChannelHidesAnother() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback()) {
            wrapped.inner().configureBlocking(false);
            ScrambledDatagramChannel twin = new ScrambledDatagramChannel(wrapped.inner());
            twin.configureBlocking(false);
            SelectionKey key = wrapped.register(selector, SelectionKey.OP_READ);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> twin.register(selector, SelectionKey.OP_READ));
            assertTrue(e.getMessage().contains("already registered"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> wrapped.inner().register(selector, SelectionKey.OP_READ));
            assertEquals(java.util.Set.of(key), selector.keys());
            assertTrue(key.isValid());
        }
    }

    @Test
    void register_innerChannelClosed_closedChannelException() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback()) {
            wrapped.inner().close();
            assertThrows(java.nio.channels.ClosedChannelException.class,
                    () -> wrapped.register(selector, SelectionKey.OP_READ));
            assertTrue(selector.keys().isEmpty());
        }
    }

    @Test
    void keys_neverExposeInnerChannels() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback();
             java.nio.channels.DatagramChannel plain = openJdkDatagram()) {
            wrapped.register(selector, SelectionKey.OP_WRITE);
            plain.register(selector, SelectionKey.OP_WRITE);
            selector.selectNow();
            selector.selectNow(k -> assertFalse(k.channel() == wrapped.inner()));
            for (SelectionKey k : selector.keys()) {
                assertTrue(k.channel() == wrapped || k.channel() == plain);
                assertFalse(k.toString().contains(wrapped.inner().toString()));
            }
            for (SelectionKey k : selector.selectedKeys()) {
                assertTrue(k.channel() == wrapped || k.channel() == plain);
            }
        }
    }
}
