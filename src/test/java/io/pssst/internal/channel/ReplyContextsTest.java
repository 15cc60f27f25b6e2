package io.pssst.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstClient;
import io.pssst.internal.ServerSession;
import io.pssst.internal.ServerTransaction;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPublicKey;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server channel's reply contexts when the channel closes: a context a thread has claimed
 * (to seal and send its reply, without the lock) keeps what that thread reads until it ends
 * the claim. CI once saw the old {@code closeAll} clear a claimed context under its claimant,
 * whose reply then failed with a NullPointerException (ReplyCloseRaceTest, 1 run in many);
 * this test shows the same deterministically.
 */
class ReplyContextsTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.1", 40_000);

    private final ReplyContexts contexts =
            new ReplyContexts(4, TimeUnit.SECONDS.toNanos(30), new ChannelCounters(), System::nanoTime);

    @Test
    void closeAll_claimedContext_keepsItsTransactionUntilReleasedThenPooled() throws Exception {
        ServerTransaction tx = openedTransaction();
        ReplyContexts.Ctx c = contexts.add(tx, SENDER, 52, true);
        long generation = c.generation();
        assertTrue(contexts.claim(c, generation));

        contexts.closeAll();

        assertSame(tx, c.tx, "the claimant's transaction is still there for it to read");
        assertEquals(52, c.requestLength());
        assertTrue(c.holds(generation), "still the claimant's until it releases it");
        assertEquals(0, contexts.size());
        // its keys are wiped (no seal running): the claimant's seal is refused, never run with zeros
        assertThrows(IllegalStateException.class, () -> tx.sealReply(ByteBuffer.allocate(1), ByteBuffer.allocate(256)));

        contexts.release(c, false, null);
        assertFalse(c.holds(generation), "back in the pool");
        assertNull(c.tx);
    }

    @Test
    void closeAll_idleContexts_wipedAndPooled_noneAddedAfter() throws Exception {
        ServerTransaction tx = openedTransaction();
        ReplyContexts.Ctx c = contexts.add(tx, SENDER, 52, false);
        long generation = c.generation();

        contexts.closeAll();

        assertFalse(c.holds(generation));
        assertThrows(IllegalStateException.class, () -> tx.sealReply(ByteBuffer.allocate(1), ByteBuffer.allocate(256)));
        ServerTransaction late = openedTransaction();
        assertNull(contexts.add(late, SENDER, 52, false));
        assertThrows(IllegalStateException.class, () -> late.sealReply(ByteBuffer.allocate(1), ByteBuffer.allocate(256)),
                "a context refused after close is wiped");
    }

    @Test
    void release_beforeClose_answeredGoesBackToThePool_unansweredStaysForARetry() throws Exception {
        ReplyContexts.Ctx answered = contexts.add(openedTransaction(), SENDER, 52, true);
        ReplyContexts.Ctx retried = contexts.add(openedTransaction(), SENDER, 52, true);
        long g1 = answered.generation();
        long g2 = retried.generation();
        assertTrue(contexts.claim(answered, g1));
        assertTrue(contexts.claim(retried, g2));
        ByteBuffer sealed = ByteBuffer.allocate(3);

        contexts.release(answered, true, null);
        contexts.release(retried, false, sealed);

        assertFalse(answered.holds(g1));
        assertTrue(retried.holds(g2));
        assertSame(sealed, retried.sealed);
        assertEquals(1, contexts.size());
        assertTrue(contexts.claim(retried, g2), "idle again: claimable for the retry");
    }

    private static ServerTransaction openedTransaction() throws Exception {
        KeyPair server = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        byte[] datagram = PssstClient.anonymous((XECPublicKey) server.getPublic()).pack(new byte[] {1}).datagram();
        ServerTransaction tx = ServerSession.of(server.getPrivate())
                .open(ByteBuffer.wrap(datagram), ByteBuffer.allocate(64));
        assertNotNull(tx);
        return tx;
    }
}
