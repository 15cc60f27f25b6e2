package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The retry policy's arithmetic and validation, and durations too long to count in nanoseconds. */
class PssstRetryPolicyTest {
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    @Test
    void defaults_doublingFrom500msCappedAt4s_givesUpAfter7500ms() {
        PssstRetryPolicy p = PssstRetryPolicy.defaults();
        assertEquals(4, p.maxAttempts());
        assertEquals(Duration.ofMillis(500), p.timeoutOfAttempt(1));
        assertEquals(Duration.ofMillis(1000), p.timeoutOfAttempt(2));
        assertEquals(Duration.ofMillis(2000), p.timeoutOfAttempt(3));
        assertEquals(Duration.ofMillis(4000), p.timeoutOfAttempt(4));
        assertEquals(Duration.ofMillis(4000), p.timeoutOfAttempt(10));
        assertEquals(Duration.ofMillis(7500), p.totalTimeout());
    }

    @Test
    void noRetransmission_oneAttemptOfTheTimeout() {
        PssstRetryPolicy p = PssstRetryPolicy.noRetransmission(Duration.ofSeconds(3));
        assertEquals(1, p.maxAttempts());
        assertEquals(Duration.ofSeconds(3), p.totalTimeout());
    }

    @Test
    void of_outOfRange_illegalArgument() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> PssstRetryPolicy.of(Duration.ZERO, 2, s, 3));
        assertThrows(IllegalArgumentException.class, () -> PssstRetryPolicy.of(s.negated(), 2, s, 3));
        assertThrows(IllegalArgumentException.class, () -> PssstRetryPolicy.of(s, 0.5, s, 3));
        assertThrows(IllegalArgumentException.class, () -> PssstRetryPolicy.of(s, Double.NaN, s, 3));
        assertThrows(IllegalArgumentException.class, () -> PssstRetryPolicy.of(s, Double.POSITIVE_INFINITY, s, 3));
        assertThrows(IllegalArgumentException.class, () -> PssstRetryPolicy.of(s, 2, Duration.ofMillis(999), 3));
        assertThrows(IllegalArgumentException.class, () -> PssstRetryPolicy.of(s, 2, s, 0));
        assertThrows(IllegalArgumentException.class, () -> PssstRetryPolicy.of(s, 2, s, 65));
        assertThrows(NullPointerException.class, () -> PssstRetryPolicy.of(null, 2, s, 3));
    }

    /** Durations beyond what fits in a long of nanoseconds mean "no limit", not an ArithmeticException or a negative total. */
    @Test
    void hugeDurations_takenAsAbout73Years_noOverflow() {
        PssstRetryPolicy p = PssstRetryPolicy.of(Duration.ofMillis(1), 2, Duration.ofDays(365L * 200), 64);
        assertEquals(PssstRetryPolicy.LONGEST_NANOS, p.totalTimeout().toNanos());
        PssstRetryPolicy forever = PssstRetryPolicy.noRetransmission(FOREVER);
        assertEquals(PssstRetryPolicy.LONGEST_NANOS, forever.timeoutOfAttemptNanos(1));
        assertTrue(forever.totalTimeout().compareTo(Duration.ofDays(365L * 70)) > 0);
    }

    @Test
    void channels_foreverTimeouts_acceptedAsNoLimit() throws Exception {
        try (DatagramChannel blackHole = DatagramChannel.open().bind(any("127.0.0.1"));
                PssstServerChannel server = PssstServerChannel.builder(Loopback.serverPrivate())
                        .replyContextTimeout(FOREVER).open();
                PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic())
                        .retryPolicy(PssstRetryPolicy.noRetransmission(FOREVER)).open()) {
            CompletableFuture<ByteBuffer> f = client.callAsync(utf8("wait"), blackHole.getLocalAddress(), FOREVER);
            assertFalse(f.isDone());
            assertEquals(1, client.outstandingRequests());
            f.cancel(false);
            assertEquals(0, server.pendingReplies());
        }
    }
}
