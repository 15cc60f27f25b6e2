package io.pssst.internal.channel;

import io.pssst.PssstException;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.internal.Bytes;
import io.pssst.internal.ClientTransaction;
import io.pssst.internal.ServerTransaction;
import io.pssst.internal.Wire;
import io.pssst.internal.channel.ChannelCounters.Counter;
import java.nio.ByteBuffer;

/**
 * The steps both roles take with a received datagram before and while opening it: the checks
 * that need no key, then decryption into the caller's buffer. One implementation for the
 * client's replies and the server's requests.
 */
final class Opening {
    private Opening() {
    }

    /** How the engine opens one kind of datagram: into a buffer, or in place. */
    interface Opener<T> {
        void into(T tx, ByteBuffer datagram, ByteBuffer dst) throws PssstException;

        void inPlace(T tx, ByteBuffer datagram) throws PssstException;
    }

    /** A client opens replies. */
    static final Opener<ClientTransaction> REPLY = new Opener<>() {
        @Override
        public void into(ClientTransaction tx, ByteBuffer datagram, ByteBuffer dst) throws PssstException {
            tx.openReply(datagram, dst);
        }

        @Override
        public void inPlace(ClientTransaction tx, ByteBuffer datagram) throws PssstException {
            tx.openReplyInPlace(datagram);
        }
    };

    /** A server opens requests. */
    static final Opener<ServerTransaction> REQUEST = new Opener<>() {
        @Override
        public void into(ServerTransaction tx, ByteBuffer datagram, ByteBuffer dst) throws PssstException {
            tx.openRequest(datagram, dst);
        }

        @Override
        public void inPlace(ServerTransaction tx, ByteBuffer datagram) throws PssstException {
            tx.openRequestInPlace(datagram);
        }
    };

    /**
     * The checks that need neither keys nor tables, cheapest first: length (so AES-GCM never
     * sees less than its tag), direction, suite.
     *
     * @param reply whether the channel expects replies (client) or requests (server)
     * @return why the datagram must be dropped, or null if it passes
     */
    static DropReason headerProblem(ByteBuffer d, boolean reply) {
        if (d.remaining() < Wire.OVERHEAD) {
            return DropReason.MALFORMED;
        }
        if (((Wire.flags(d) & Wire.FLAG_REPLY) != 0) != reply) {
            return DropReason.WRONG_DIRECTION;
        }
        if (Wire.suite(d) != Wire.SUITE_X25519_AESGCM128) {
            return DropReason.UNSUPPORTED_SUITE;
        }
        return null;
    }

    /**
     * Opens {@code d} into {@code dst}: straight into it when it has room for the whole
     * plaintext (which for an authenticated request includes the 64-byte client proof), else
     * in place in {@code d}, copying what fits into {@code dst}, wiping the plaintext left in
     * {@code d}, and counting a truncation, as the JDK's receive truncates.
     *
     * @return the number of message bytes written to {@code dst}, whose position advanced by it
     */
    static <T> int openInto(Opener<T> how, T tx, ByteBuffer d, ByteBuffer dst, ChannelCounters counters)
            throws PssstException {
        int start = dst.position();
        if (dst.remaining() >= d.remaining() - Wire.OVERHEAD) {
            how.into(tx, d, dst);
            return dst.position() - start;
        }
        how.inPlace(tx, d);
        int k = Math.min(dst.remaining(), d.remaining());
        dst.put(start, d, d.position(), k).position(start + k);
        Bytes.wipe(d, d.position(), d.remaining());
        if (k < d.remaining()) {
            counters.add(Counter.TRUNCATED);
        }
        return k;
    }
}
