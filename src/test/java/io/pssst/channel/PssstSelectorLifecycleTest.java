package io.pssst.channel;

import static io.pssst.channel.SelectorTesting.openJdkDatagram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The key sets, and closing the selector. */
@Timeout(60)
class PssstSelectorLifecycleTest {

    @Test
    void keys_view_unmodifiable() throws IOException {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel ch = openJdkDatagram()) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            Set<SelectionKey> keys = selector.keys();
            assertThrows(UnsupportedOperationException.class, () -> keys.add(key));
            assertThrows(UnsupportedOperationException.class, () -> keys.remove(key));
            assertThrows(UnsupportedOperationException.class, keys::clear);
            Iterator<SelectionKey> it = keys.iterator();
            it.next();
            assertThrows(UnsupportedOperationException.class, it::remove);
            assertEquals(Set.of(key), keys);
        }
    }

    @Test
    void selectedKeys_view_removalAllowedAdditionRefused() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             DatagramChannel a = openJdkDatagram();
             ScrambledDatagramChannel b = ScrambledDatagramChannel.openLoopback();
             DatagramChannel c = openJdkDatagram()) {
            SelectionKey ka = a.register(selector, SelectionKey.OP_WRITE);
            SelectionKey kb = b.register(selector, SelectionKey.OP_WRITE);
            SelectionKey kc = c.register(selector, SelectionKey.OP_WRITE);
            assertEquals(3, selector.selectNow());
            Set<SelectionKey> selected = selector.selectedKeys();
            assertEquals(Set.of(ka, kb, kc), selected);
            assertThrows(UnsupportedOperationException.class, () -> selected.add(ka));
            assertThrows(UnsupportedOperationException.class, () -> selected.addAll(List.of()));
            assertTrue(selected.remove(ka));
            Iterator<SelectionKey> it = selected.iterator();
            it.next();
            it.remove();
            assertEquals(1, selected.size());
            selected.clear();
            assertTrue(selected.isEmpty());
            assertEquals(3, selector.keys().size());           // keys stay registered
            assertEquals(3, selector.selectNow());
        }
    }

    @Test
    void close_withRegisteredKeys_keysInvalidChannelsOpenAndDeregistered() throws IOException {
        PssstSelector selector = PssstSelector.open();
        try (DatagramChannel plain = openJdkDatagram();
             ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback()) {
            SelectionKey kp = plain.register(selector, SelectionKey.OP_WRITE);
            SelectionKey kw = wrapped.register(selector, SelectionKey.OP_WRITE);
            assertEquals(2, selector.selectNow());
            selector.close();
            selector.close();                                   // idempotent
            assertFalse(selector.isOpen());
            for (SelectionKey key : List.of(kp, kw)) {
                assertFalse(key.isValid());
                assertTrue(key.channel().isOpen());
                assertFalse(key.channel().isRegistered());
                assertNull(key.channel().keyFor(selector));
                key.channel().configureBlocking(true);          // no longer registered anywhere
            }
            assertFalse(wrapped.inner().isRegistered());
            assertThrows(ClosedSelectorException.class, selector::keys);
            assertThrows(ClosedSelectorException.class, selector::selectedKeys);
        }
    }

    @Test
    void close_withClosedButRegisteredChannels_releasesTheirSockets() throws IOException {
        PssstSelector selector = PssstSelector.open();
        DatagramChannel plain = openJdkDatagram();
        ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback();
        plain.register(selector, SelectionKey.OP_READ);
        wrapped.register(selector, SelectionKey.OP_READ);
        SocketAddress plainAddress = plain.getLocalAddress();
        SocketAddress wrappedAddress = wrapped.getLocalAddress();
        plain.close();
        wrapped.close();
        selector.close();
        for (SocketAddress address : List.of(plainAddress, wrappedAddress)) {
            try (DatagramChannel rebound = DatagramChannel.open()) {
                rebound.bind(address);                          // released, not leaked
            }
        }
    }

    @Test
    void register_closedSelectorOrBlockingChannel_refused() throws IOException {
        PssstSelector selector = PssstSelector.open();
        try (DatagramChannel plain = openJdkDatagram();
             ScrambledDatagramChannel wrapped = ScrambledDatagramChannel.openLoopback()) {
            plain.configureBlocking(true);
            assertThrows(IllegalBlockingModeException.class,
                    () -> plain.register(selector, SelectionKey.OP_READ));
            selector.close();
            assertThrows(ClosedSelectorException.class,
                    () -> wrapped.register(selector, SelectionKey.OP_READ));
            assertFalse(wrapped.isRegistered());
            assertFalse(wrapped.inner().isRegistered());
        }
    }
}
