package io.pssst.channel;

import static io.pssst.channel.SelectorTesting.BOUND_MS;
import static io.pssst.channel.SelectorTesting.joinBounded;
import static io.pssst.channel.SelectorTesting.openJdkDatagram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Registration, interest changes, cancellation and wakeups from several threads while another
 * thread selects: nothing deadlocks, nothing is lost, no key exposes a foreign channel.
 */
@Timeout(120)
class PssstSelectorConcurrencyTest {
    private static final int ROUNDS = 300;

    @Test
    void registerCancelInterest_whileSelecting_noDeadlockAndConsistentKeys() throws Exception {
        List<DatagramChannel> channels = new ArrayList<>();
        try (PssstSelector selector = PssstSelector.open()) {
            for (int i = 0; i < 2; i++) {
                channels.add(ScrambledDatagramChannel.openLoopback());
                channels.add(openJdkDatagram());
            }
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong consumed = new AtomicLong();
            Thread selecting = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        selector.select(key -> {
                            if (!channels.contains(key.channel())) {
                                errors.add(new AssertionError("foreign channel " + key.channel()));
                            }
                            consumed.incrementAndGet();
                        }, 5);
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "selecting");
            selecting.start();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                List<DatagramChannel> mine = channels.subList(2 * w, 2 * w + 2);
                workers.add(new Thread(() -> {
                    try {
                        for (int round = 0; round < ROUNDS; round++) {
                            for (DatagramChannel ch : mine) {
                                churn(selector, ch);
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }, "worker-" + w));
            }
            workers.forEach(Thread::start);
            for (Thread t : workers) {
                joinBounded(t);
            }
            stop.set(true);
            selector.wakeup();
            joinBounded(selecting);
            assertTrue(errors.isEmpty(), () -> "errors: " + errors);
            assertTrue(consumed.get() > 0);
            selector.selectNow();
            assertEquals(0, selector.keys().size());
        } finally {
            for (DatagramChannel ch : channels) {
                ch.close();
            }
        }
    }

    /** One round: register (once the last cancellation has been processed), change, cancel. */
    private static void churn(PssstSelector selector, DatagramChannel ch) throws IOException {
        long end = System.nanoTime() + BOUND_MS * 1_000_000L;
        SelectionKey key;
        while (true) {
            try {
                key = ch.register(selector, SelectionKey.OP_WRITE);
                break;
            } catch (CancelledKeyException e) {
                // The previous key awaits the next selection, as with the JDK's selectors.
                if (System.nanoTime() - end > 0) {
                    fail("cancelled key of " + ch + " never processed");
                }
                selector.wakeup();
                Thread.onSpinWait();
            }
        }
        key.interestOpsOr(SelectionKey.OP_READ);
        key.interestOpsAnd(SelectionKey.OP_WRITE);
        for (SelectionKey k : selector.keys()) {
            k.channel();
        }
        key.cancel();
        selector.wakeup();
    }
}
