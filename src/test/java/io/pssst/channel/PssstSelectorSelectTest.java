package io.pssst.channel;

import static io.pssst.channel.SelectorTesting.BOUND_MS;
import static io.pssst.channel.SelectorTesting.io;
import static io.pssst.channel.SelectorTesting.joinBounded;
import static io.pssst.channel.SelectorTesting.local;
import static io.pssst.channel.SelectorTesting.openJdkDatagram;
import static io.pssst.channel.SelectorTesting.selectUntil;
import static io.pssst.channel.SelectorTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The selection operations, wakeup, interruption and timeouts. */
@Timeout(60)
class PssstSelectorSelectTest {

    @Test
    void selectNow_nothingReady_returnsZeroAndSelectsNothing() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback()) {
            ch.register(selector, SelectionKey.OP_READ);
            assertEquals(0, selector.selectNow());
            assertTrue(selector.selectedKeys().isEmpty());
        }
    }

    @Test
    void select_timeoutAndNothingReady_returnsZero() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback()) {
            ch.register(selector, SelectionKey.OP_READ);
            assertEquals(0, selector.select(20));
            assertEquals(0, selector.select(k -> { throw new AssertionError(k); }, 20));
        }
    }

    @Test
    void select_negativeTimeoutOrNullAction_throws() throws IOException {
        try (PssstSelector selector = PssstSelector.open()) {
            assertThrows(IllegalArgumentException.class, () -> selector.select(-1));
            assertThrows(IllegalArgumentException.class, () -> selector.select(k -> { }, -1));
            assertThrows(NullPointerException.class, () -> selector.select(null));
            assertThrows(NullPointerException.class, () -> selector.select(null, 1));
            assertThrows(NullPointerException.class, () -> selector.selectNow(null));
        }
    }

    @Test
    void select_datagramWaiting_addsWrappedKeyWithReadReady() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback();
             ScrambledDatagramChannel peer = ScrambledDatagramChannel.openLoopback()) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            send(peer, "hello", local(ch));
            selectUntil(selector, () -> !selector.selectedKeys().isEmpty());
            assertEquals(List.of(key), List.copyOf(selector.selectedKeys()));
            assertEquals(SelectionKey.OP_READ, key.readyOps());
            assertEquals("hello", SelectorTesting.receive((DatagramChannel) key.channel()));
        }
    }

    @Test
    void selectConsumer_datagramWaiting_actsOnKeyAndLeavesSelectedSetAlone() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback();
             DatagramChannel plain = openJdkDatagram();
             ScrambledDatagramChannel peer = ScrambledDatagramChannel.openLoopback()) {
            SelectionKey wrappedKey = ch.register(selector, SelectionKey.OP_READ);
            SelectionKey plainKey = plain.register(selector, SelectionKey.OP_READ);
            send(peer, "one", local(ch));
            send(peer, "two", local(plain));
            List<SelectionKey> consumed = new ArrayList<>();
            long end = System.nanoTime() + BOUND_MS * 1_000_000L;
            while (consumed.size() < 2 && System.nanoTime() - end < 0) {
                int n = selector.select(key -> {
                    assertEquals(SelectionKey.OP_READ, key.readyOps());
                    consumed.add(key);
                    io(() -> assertTrue(SelectorTesting.receive((DatagramChannel) key.channel()) != null));
                }, 50);
                assertTrue(n >= 0 && n <= 2);
            }
            assertTrue(consumed.containsAll(List.of(wrappedKey, plainKey)));
            assertTrue(selector.selectedKeys().isEmpty());
        }
    }

    @Test
    void selectNowConsumer_keyAlreadySelected_replacesItsReadySet() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback();
             ScrambledDatagramChannel peer = ScrambledDatagramChannel.openLoopback()) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            assertEquals(1, selector.selectNow());
            assertEquals(SelectionKey.OP_WRITE, key.readyOps());
            key.interestOps(SelectionKey.OP_READ);
            send(peer, "x", local(ch));
            AtomicInteger readyInAction = new AtomicInteger();
            selectUntil(selector, () -> {
                io(() -> selector.selectNow(k -> readyInAction.set(k.readyOps())));
                return readyInAction.get() != 0;
            });
            assertEquals(SelectionKey.OP_READ, readyInAction.get());
            assertTrue(selector.selectedKeys().contains(key));   // untouched by the action form
        }
    }

    @Test
    void select_keyAlreadySelected_addsNewReadyOpsAndCountsOnlyNewOnes() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback();
             ScrambledDatagramChannel peer = ScrambledDatagramChannel.openLoopback()) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            assertEquals(1, selector.selectNow());
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            send(peer, "x", local(ch));
            selectUntil(selector, () -> key.readyOps() == (SelectionKey.OP_READ | SelectionKey.OP_WRITE));
            assertEquals(0, selector.selectNow());      // ready again, but nothing new
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, key.readyOps());
            selector.selectedKeys().clear();
            key.interestOps(SelectionKey.OP_WRITE);
            assertEquals(1, selector.selectNow());      // re-added: ready set replaced
            assertEquals(SelectionKey.OP_WRITE, key.readyOps());
        }
    }

    @Test
    void wakeup_fromAnotherThread_returnsBlockedSelect() throws Exception {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback()) {
            ch.register(selector, SelectionKey.OP_READ);
            CountDownLatch selecting = new CountDownLatch(1);
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = new Thread(() -> {
                selecting.countDown();
                try {
                    result.set(selector.select());      // no timeout: only wakeup returns it
                } catch (IOException | RuntimeException e) {
                    result.set(e);
                }
            }, "selecting");
            t.start();
            assertTrue(selecting.await(BOUND_MS, TimeUnit.MILLISECONDS));
            Thread.sleep(50);                           // very likely blocked by now; either way
            assertSame(selector, selector.wakeup());    // wakeup must release it
            joinBounded(t);
            assertEquals(0, result.get());
        }
    }

    @Test
    void wakeup_beforeSelect_nextSelectReturnsAtOnceAndOnlyOnce() throws Exception {
        try (PssstSelector selector = PssstSelector.open()) {
            selector.wakeup();
            selector.wakeup();
            assertEquals(0, SelectorTesting.boundedSelect(selector));
            assertEquals(0, selector.select(k -> { }, 20));  // consumed: blocks until its timeout
        }
    }

    @Test
    void selectNow_afterWakeup_clearsIt() throws Exception {
        try (PssstSelector selector = PssstSelector.open()) {
            selector.wakeup();
            assertEquals(0, selector.selectNow());
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    result.set(selector.select());
                } catch (IOException e) {
                    result.set(e);
                }
            }, "selecting");
            t.start();
            t.join(100);
            assertTrue(t.isAlive(), "select returned although the wakeup had been cleared");
            selector.wakeup();
            joinBounded(t);
        }
    }

    @Test
    void select_threadInterrupted_returnsWithInterruptStatusSet() throws IOException {
        try (PssstSelector selector = PssstSelector.open()) {
            Thread.currentThread().interrupt();
            try {
                assertEquals(0, selector.select());
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void selectConsumer_actionSelectsAgain_illegalState() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback()) {
            ch.register(selector, SelectionKey.OP_WRITE);
            assertThrows(IllegalStateException.class,
                    () -> selector.selectNow(k -> io(selector::selectNow)));
            assertEquals(1, selector.selectNow());      // still usable
        }
    }

    @Test
    void selectConsumer_actionThrows_relayedAndSelectorStillUsable() throws IOException {
        try (PssstSelector selector = PssstSelector.open();
             ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback()) {
            ch.register(selector, SelectionKey.OP_WRITE);
            RuntimeException boom = new RuntimeException("boom");
            assertSame(boom, assertThrows(RuntimeException.class,
                    () -> selector.selectNow(k -> { throw boom; })));
            assertEquals(1, selector.selectNow(k -> { }));
        }
    }

    @Test
    void selectConsumer_actionClosesSelector_closedSelectorException() throws IOException {
        PssstSelector selector = PssstSelector.open();
        try (ScrambledDatagramChannel ch = ScrambledDatagramChannel.openLoopback()) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            assertThrows(ClosedSelectorException.class,
                    () -> selector.selectNow(k -> io(selector::close)));
            assertFalse(selector.isOpen());
            assertFalse(key.isValid());
            assertTrue(ch.isOpen());
            assertNull(ch.keyFor(selector));
        }
    }

    @Test
    void select_closedSelector_closedSelectorException() throws IOException {
        PssstSelector selector = PssstSelector.open();
        selector.close();
        assertThrows(ClosedSelectorException.class, selector::selectNow);
        assertThrows(ClosedSelectorException.class, () -> selector.select(1));
        assertThrows(ClosedSelectorException.class, selector::select);
        assertThrows(ClosedSelectorException.class, () -> selector.select(k -> { }));
        assertThrows(ClosedSelectorException.class, () -> selector.select(k -> { }, 1));
        assertThrows(ClosedSelectorException.class, () -> selector.selectNow(k -> { }));
        assertSame(selector, selector.wakeup());         // harmless after close
    }

    @Test
    void close_whileAnotherThreadSelects_selectReturnsAndSelectorCloses() throws Exception {
        PssstSelector selector = PssstSelector.open();
        CountDownLatch selecting = new CountDownLatch(1);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            selecting.countDown();
            try {
                result.set(selector.select());
            } catch (IOException | RuntimeException e) {
                result.set(e);
            }
        }, "selecting");
        t.start();
        assertTrue(selecting.await(BOUND_MS, TimeUnit.MILLISECONDS));
        selector.close();
        joinBounded(t);
        assertFalse(selector.isOpen());
        assertTrue(result.get() instanceof Integer || result.get() instanceof ClosedSelectorException,
                String.valueOf(result.get()));
    }
}
