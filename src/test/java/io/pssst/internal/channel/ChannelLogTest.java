package io.pssst.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.internal.channel.ChannelCounters.Counter;
import io.pssst.testing.LogCapture;
import java.lang.reflect.Method;
import java.net.PortUnreachableException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a channel logs, at which level, how often (a fake clock: no timing), and what it costs
 * when the level is off: no line built, no allocation on the per-datagram path.
 */
class ChannelLogTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger described = new AtomicInteger();
    private final Supplier<String> channel = () -> {
        described.incrementAndGet();
        return "TestChannel[local=/127.0.0.1:9]";
    };

    @BeforeAll
    static void julBacksSystemLogger() {
        assertTrue(LogCapture.systemLoggersReachJul(ChannelLog.NAME),
                "System.Logger must reach java.util.logging here (the default LoggerFinder with java.logging present)");
    }

    @Test
    void server_firstDropOfEachReasonAtInfo_laterOnesAtDebugAtMostOnceASecond() {
        try (LogCapture log = new LogCapture(ChannelLog.NAME, Level.ALL, true)) {
            ChannelCounters counters = new ChannelCounters(new ChannelLog(channel, true, now::get));
            for (int i = 0; i < 5; i++) {
                counters.drop(DropReason.DECRYPT_FAILED);
            }
            counters.drop(DropReason.MALFORMED);
            List<LogRecord> r = log.records();
            assertEquals(List.of(Level.INFO, Level.FINE, Level.INFO), r.stream().map(LogRecord::getLevel).toList(),
                    log.texts()::toString);
            assertTrue(r.get(0).getMessage().startsWith("TestChannel[local=/127.0.0.1:9]: dropped a datagram: DECRYPT_FAILED"));
            assertEquals("TestChannel[local=/127.0.0.1:9]: datagrams dropped so far, by reason: {DECRYPT_FAILED=2}",
                    r.get(1).getMessage());
            assertTrue(r.get(2).getMessage().contains("dropped a datagram: MALFORMED (the first"));
            assertEquals(ChannelLog.NAME, r.get(0).getLoggerName());

            now.addAndGet(ChannelLog.SECOND);
            counters.drop(DropReason.DECRYPT_FAILED);
            counters.drop(DropReason.DECRYPT_FAILED);
            assertEquals(4, log.records().size(), log.texts()::toString);
            assertEquals("TestChannel[local=/127.0.0.1:9]: datagrams dropped so far, by reason:"
                    + " {MALFORMED=1, DECRYPT_FAILED=6}", log.records().get(3).getMessage());
        }
    }

    @Test
    void client_firstDropAtDebug() {
        try (LogCapture log = new LogCapture(ChannelLog.NAME, Level.ALL, true)) {
            ChannelCounters counters = new ChannelCounters(new ChannelLog(channel, false, now::get));
            counters.drop(DropReason.DUPLICATE_REPLY);
            assertEquals(Level.FINE, log.records().get(0).getLevel());
        }
        try (LogCapture log = new LogCapture(ChannelLog.NAME, Level.INFO, true)) {
            ChannelCounters counters = new ChannelCounters(new ChannelLog(channel, false, now::get));
            counters.drop(DropReason.LATE_REPLY);
            assertEquals(List.of(), log.texts());
        }
    }

    @Test
    void survivedFailures_warningAtMostOnceASecondPerKind_withHowManyWereHeldBack() {
        try (LogCapture log = new LogCapture(ChannelLog.NAME, Level.ALL, true)) {
            ChannelCounters counters = new ChannelCounters(new ChannelLog(channel, true, now::get));
            PortUnreachableException e = new PortUnreachableException("ICMP Port Unreachable");
            for (int i = 0; i < 4; i++) {
                counters.failed(Counter.REPLY_SEND_FAILURES, ChannelLog.Failure.REPLY_SEND, e);
            }
            counters.log().failed(ChannelLog.Failure.RECEIVE, e); // another kind: its own second
            assertEquals(4, counters.get(Counter.REPLY_SEND_FAILURES));
            assertEquals(2, log.records().size(), log.texts()::toString);
            assertEquals(Level.WARNING, log.records().get(0).getLevel());
            assertEquals("TestChannel[local=/127.0.0.1:9]: a reply could not be sent:"
                    + " java.net.PortUnreachableException: ICMP Port Unreachable; counted in stats().replySendFailures();"
                    + " the channel carries on. At most one such line a second.", log.records().get(0).getMessage());
            assertTrue(log.records().get(1).getMessage().contains("a receive failed: java.net.PortUnreachableException"));
            assertTrue(!log.records().get(1).getMessage().contains("counted in"), "a receive failure has no counter");

            now.addAndGet(ChannelLog.SECOND - 1);
            counters.failed(Counter.REPLY_SEND_FAILURES, ChannelLog.Failure.REPLY_SEND, e);
            assertEquals(2, log.records().size(), "still within the second");
            now.addAndGet(1);
            counters.failed(Counter.REPLY_SEND_FAILURES, ChannelLog.Failure.REPLY_SEND, e);
            assertTrue(log.records().get(2).getMessage().contains("(and 4 more in the last second or so, not logged)"),
                    log.texts()::toString);
        }
    }

    /** With the levels off, the per-datagram path builds no line: the channel is never described. */
    @Test
    void levelsOff_noLineBuilt() {
        try (LogCapture log = new LogCapture(ChannelLog.NAME, Level.OFF, true)) {
            ChannelCounters counters = new ChannelCounters(new ChannelLog(channel, true, now::get));
            for (int i = 0; i < 10_000; i++) {
                counters.drop(DropReason.values()[i % DropReason.values().length]);
                counters.failed(Counter.REPLY_SEND_FAILURES, ChannelLog.Failure.REPLY_SEND, new PortUnreachableException());
                now.addAndGet(ChannelLog.SECOND);
            }
            assertEquals(0, described.get());
            assertEquals(List.of(), log.texts());
        }
        try (LogCapture log = new LogCapture(ChannelLog.NAME, Level.INFO, true)) { // DEBUG off: first drops only
            ChannelCounters counters = new ChannelCounters(new ChannelLog(channel, true, now::get));
            for (int i = 0; i < 10_000; i++) {
                counters.drop(DropReason.DECRYPT_FAILED);
                now.addAndGet(ChannelLog.SECOND);
            }
            assertEquals(1, described.get());
            assertEquals(1, log.records().size());
        }
    }

    /**
     * A drop allocates nothing when its line is not logged (after the first, at INFO on a
     * server): measured with the JDK's per-thread allocation counter, over 100,000 drops
     * (less than one 16-byte object per hundred drops).
     */
    @Test
    void drop_levelInfo_allocatesNothing() throws Exception {
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        long thread = Thread.currentThread().getId();
        try (LogCapture log = new LogCapture(ChannelLog.NAME, Level.INFO, true)) {
            ChannelCounters counters = new ChannelCounters(new ChannelLog(channel, true, System::nanoTime));
            for (int i = 0; i < 100_000; i++) { // warm up: the first drop logs, the JIT compiles
                counters.drop(DropReason.DECRYPT_FAILED);
            }
            long before = (Long) allocated.invoke(threads, thread);
            long calibration = (Long) allocated.invoke(threads, thread) - before; // what the reading costs
            before = (Long) allocated.invoke(threads, thread);
            for (int i = 0; i < 100_000; i++) {
                counters.drop(DropReason.DECRYPT_FAILED);
            }
            long bytes = (Long) allocated.invoke(threads, thread) - before - calibration;
            // One object per drop would be 1.6 MB or more; allow what the JVM may allocate on this
            // thread meanwhile for its own reasons (about a kilobyte was seen in a full run).
            assertTrue(bytes < 16_000, "100,000 drops allocated " + bytes + " bytes");
            assertEquals(1, log.records().size());
        }
    }
}
