package io.pssst.channel;

import static io.pssst.channel.SelectorTesting.io;
import static io.pssst.channel.SelectorTesting.local;
import static io.pssst.channel.SelectorTesting.openJdkDatagram;
import static io.pssst.channel.SelectorTesting.selectUntil;
import static io.pssst.channel.SelectorTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys: what they expose, interest sets, cancellation and re-registration. Each test runs for
 * a wrapped (PSSST-style) channel and for a plain JDK channel.
 */
@Timeout(60)
class PssstSelectionKeyTest {

    private static DatagramChannel open(String kind) throws IOException {
        return kind.equals("wrapped") ? ScrambledDatagramChannel.openLoopback() : openJdkDatagram();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void register_newChannel_keyExposesRegisteredChannelAndSelector(String kind) throws IOException {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel ch = open(kind)) {
            Object att = new Object();
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ, att);
            assertSame(ch, key.channel());
            assertSame(selector, key.selector());
            assertSame(att, key.attachment());
            assertEquals(SelectionKey.OP_READ, key.interestOps());
            assertEquals(0, key.readyOps());
            assertTrue(key.isValid());
            assertSame(key, ch.keyFor(selector));
            assertTrue(ch.isRegistered());
            assertEquals(java.util.Set.of(key), selector.keys());
            if (ch instanceof ScrambledDatagramChannel wrapped) {
                assertNotSame(wrapped.inner(), key.channel());
                assertTrue(wrapped.inner().isRegistered());
                assertNull(wrapped.inner().keyFor(selector));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void register_again_sameKeyWithNewInterestAndAttachment(String kind) throws IOException {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel ch = open(kind)) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ, "a");
            assertSame(key, ch.register(selector, SelectionKey.OP_WRITE, "b"));
            assertEquals(SelectionKey.OP_WRITE, key.interestOps());
            assertEquals("b", key.attachment());
            assertEquals(1, selector.selectNow());
            assertEquals(SelectionKey.OP_WRITE, key.readyOps());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void interestOps_changes_takeEffectAndInvalidOpsRefused(String kind) throws IOException {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel ch = open(kind)) {
            SelectionKey key = ch.register(selector, 0);
            assertEquals(0, selector.selectNow());           // empty interest set: never selected
            assertEquals(0, key.interestOpsOr(SelectionKey.OP_WRITE));
            assertEquals(SelectionKey.OP_WRITE, key.interestOps());
            assertEquals(1, selector.selectNow());
            assertEquals(SelectionKey.OP_WRITE,
                    key.interestOpsOr(SelectionKey.OP_READ));
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE,
                    key.interestOpsAnd(SelectionKey.OP_READ));
            assertEquals(SelectionKey.OP_READ, key.interestOps());
            assertThrows(IllegalArgumentException.class, () -> key.interestOps(SelectionKey.OP_ACCEPT));
            assertThrows(IllegalArgumentException.class, () -> key.interestOpsOr(SelectionKey.OP_CONNECT));
            assertThrows(IllegalArgumentException.class,
                    () -> ch.register(selector, SelectionKey.OP_ACCEPT));
            assertEquals(SelectionKey.OP_READ, key.interestOps());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void cancel_beforeSelect_keyInvalidAndReRegistrationWaitsForSelect(String kind) throws IOException {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel ch = open(kind);
             ScrambledDatagramChannel peer = ScrambledDatagramChannel.openLoopback()) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            key.cancel();
            key.cancel();                                  // idempotent
            assertFalse(key.isValid());
            assertThrows(CancelledKeyException.class, key::interestOps);
            assertThrows(CancelledKeyException.class, () -> key.interestOps(0));
            assertThrows(CancelledKeyException.class, key::readyOps);
            assertTrue(selector.keys().contains(key));    // until the next selection
            assertThrows(CancelledKeyException.class,
                    () -> ch.register(selector, SelectionKey.OP_READ));
            ch.configureBlocking(true);                    // allowed at once, as with the JDK
            ch.configureBlocking(false);

            assertEquals(0, selector.selectNow());
            assertFalse(selector.keys().contains(key));
            assertNull(ch.keyFor(selector));
            assertFalse(ch.isRegistered());

            SelectionKey again = ch.register(selector, SelectionKey.OP_READ, "again");
            assertNotSame(key, again);
            send(peer, "after", local(ch));
            selectUntil(selector, () -> selector.selectedKeys().contains(again));
            assertEquals(kind.equals("wrapped") ? "after" : scrambled("after"),
                    SelectorTesting.receive(ch));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void cancel_duringSelect_reRegistrationWorksOnceSelectReturns(String kind) throws IOException {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel ch = open(kind)) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            assertEquals(1, selector.selectNow(SelectionKey::cancel));  // step 2 cancels it
            assertFalse(selector.keys().contains(key));                 // step 3 removed it
            assertNull(ch.keyFor(selector));
            SelectionKey again = ch.register(selector, SelectionKey.OP_WRITE);
            assertEquals(1, selector.selectNow());
            assertEquals(java.util.Set.of(again), selector.selectedKeys());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void cancel_duringSelectWithWakeup_wakeupNotLost(String kind) throws IOException {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel ch = open(kind)) {
            ch.register(selector, SelectionKey.OP_WRITE);
            selector.selectNow(k -> {
                k.cancel();
                selector.wakeup();      // meant for the next selection
            });
            assertEquals(0, SelectorTesting.boundedSelect(selector));   // not lost by step 3
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void channelClose_thenSelect_keyRemovedAndSocketReleased(String kind) throws IOException {
        try (PssstSelector selector = PssstSelector.open()) {
            DatagramChannel ch = open(kind);
            java.net.SocketAddress address = ch.getLocalAddress();
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            ch.close();
            assertFalse(key.isValid());
            selector.selectNow();
            assertFalse(selector.keys().contains(key));
            try (DatagramChannel rebound = DatagramChannel.open()) {
                rebound.bind(address);                     // the port was really released
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void selectConsumer_interestRemovedByEarlierAction_notSelectedAgain(String kind) throws IOException {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel a = open(kind);
             DatagramChannel b = open(kind)) {
            SelectionKey ka = a.register(selector, SelectionKey.OP_WRITE);
            SelectionKey kb = b.register(selector, SelectionKey.OP_WRITE);
            AtomicBoolean first = new AtomicBoolean(true);
            int n = selector.selectNow(k -> {
                assertTrue(first.getAndSet(false), "second key acted on after its interest was removed");
                (k == ka ? kb : ka).interestOps(0);
            });
            assertEquals(1, n);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped", "plain"})
    void registration_whileAnotherThreadSelects_doesNotBlockAndIsSeenNextSelection(String kind)
            throws Exception {
        try (PssstSelector selector = PssstSelector.open(); DatagramChannel ch = open(kind)) {
            AtomicBoolean stop = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger selected = new java.util.concurrent.atomic.AtomicInteger();
            Thread loop = new Thread(() -> io(() -> {
                while (!stop.get()) {
                    selected.addAndGet(selector.select());
                    selector.selectedKeys().clear();
                }
            }), "selecting");
            loop.start();
            Thread.sleep(20);
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);  // must not block
            assertTrue(key.isValid());
            selector.wakeup();
            long end = System.nanoTime() + SelectorTesting.BOUND_MS * 1_000_000L;
            while (selected.get() == 0 && System.nanoTime() - end < 0) {
                Thread.sleep(5);
            }
            key.interestOps(0);
            stop.set(true);
            selector.wakeup();
            SelectorTesting.joinBounded(loop);
            assertTrue(selected.get() > 0);
        }
    }

    private static String scrambled(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            b[i] ^= ScrambledDatagramChannel.MASK;
        }
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
