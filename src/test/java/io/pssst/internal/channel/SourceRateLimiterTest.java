package io.pssst.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The per-source token bucket: rate, burst, refill, prefixes, bounded table; on a fake clock. */
class SourceRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    private static InetSocketAddress at(String ip, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(ip), port); // a literal: no lookup
    }

    private static int admitted(SourceRateLimiter l, InetSocketAddress source, int tries, long now) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (l.tryAcquire(source, now)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void burstOfOneSecond_thenTheRate() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(500, 1024, 32, 128);
        InetSocketAddress flooder = at("127.0.0.2", 4000);
        long t = 7 * SECOND;
        assertEquals(500, admitted(l, flooder, 10_000, t), "a full bucket: one second's worth");
        assertEquals(0, admitted(l, flooder, 100, t), "empty");
        assertEquals(50, admitted(l, flooder, 1000, t + SECOND / 10), "a tenth of a second refills 50");
        assertEquals(500, admitted(l, flooder, 10_000, t + 60 * SECOND), "refill stops at the burst");
        assertEquals(10_000 - 500 + 100 + 1000 - 50 + 10_000 - 500, l.limited());
    }

    @Test
    void sourcesAreIndependent_andPortsDoNotMatter() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(10, 1024, 32, 128);
        long t = SECOND;
        assertEquals(10, admitted(l, at("127.0.0.2", 1), 100, t));
        assertEquals(0, admitted(l, at("127.0.0.2", 2), 100, t), "another port of the same address: the same source");
        assertEquals(10, admitted(l, at("127.0.0.3", 1), 100, t), "another address: its own bucket");
        assertEquals(10, admitted(l, at("::1", 1), 100, t));
    }

    /** The same sender objects again and again (as the JDK hands them out), interleaved: each keeps its own bucket. */
    @Test
    void reusedSenderObjects_interleaved_keepTheirOwnBuckets() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(10, 1024, 32, 64);
        InetSocketAddress a = at("127.0.0.2", 1);
        InetSocketAddress b = at("fd00::1", 1);
        InetSocketAddress c = at("fd00::2", 1); // the same /64 as b
        int admittedA = 0;
        int admittedBc = 0;
        for (int i = 0; i < 100; i++) {
            admittedA += l.tryAcquire(a, SECOND) ? 1 : 0;
            admittedBc += l.tryAcquire(i % 2 == 0 ? b : c, SECOND) ? 1 : 0;
        }
        assertEquals(10, admittedA);
        assertEquals(10, admittedBc);
    }

    @Test
    void prefixes_groupASubnetIntoOneSource() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(10, 1024, 24, 64);
        long t = SECOND;
        assertEquals(10, admitted(l, at("127.0.0.2", 1), 100, t));
        assertEquals(0, admitted(l, at("127.0.0.99", 1), 100, t), "same /24");
        assertEquals(10, admitted(l, at("127.0.1.2", 1), 100, t), "another /24");
        assertEquals(10, admitted(l, at("fd00::1", 1), 100, t));
        assertEquals(0, admitted(l, at("fd00::ffff:1", 1), 100, t), "same /64");
        assertEquals(10, admitted(l, at("fd00:0:0:1::1", 1), 100, t), "another /64");
    }

    /** Many more sources than the table holds: memory stays fixed, and a tracked flooder stays limited. */
    @Test
    void manySources_tableBounded_flooderStillLimitedWhileTracked() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(100, 64, 32, 128);
        assertEquals(64, l.capacity());
        long t = SECOND;
        InetSocketAddress flooder = at("127.0.0.2", 9);
        int flood = 0;
        for (int i = 0; i < 100_000; i++) {
            if (l.tryAcquire(flooder, t)) {
                flood++;
            }
            if (i % 10 == 0) { // another (spoofed) source now and then: it churns the table
                l.tryAcquire(at("10." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255), 1), t);
            }
        }
        // The flooder's bucket is the emptiest of its set all along, so another source never takes its entry.
        assertEquals(100, flood);
        assertEquals(64, l.capacity(), "no growth");
    }

    @Test
    void arguments_checked() {
        assertThrows(IllegalArgumentException.class, () -> new SourceRateLimiter(0, 16, 32, 128));
        assertThrows(IllegalArgumentException.class, () -> new SourceRateLimiter(10, 0, 32, 128));
        assertThrows(IllegalArgumentException.class, () -> new SourceRateLimiter(10, 16, 33, 128));
        assertThrows(IllegalArgumentException.class, () -> new SourceRateLimiter(10, 16, 32, 0));
        assertTrue(new SourceRateLimiter(1, 1, 1, 1).capacity() >= 4);
        assertFalse(new SourceRateLimiter(1, 16, 32, 128).toString().isEmpty());
    }
}
