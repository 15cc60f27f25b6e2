package io.pssst.internal.channel;

import io.pssst.PssstException;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.channel.PssstClientPolicy;
import io.pssst.internal.Bytes;
import io.pssst.internal.ServerTransaction;
import io.pssst.internal.Wire;
import io.pssst.internal.channel.ChannelCounters.Counter;
import io.pssst.internal.channel.DatagramIo.Datagram;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What a server channel makes of a received datagram, cheapest check first: a source no reply
 * can go to, the source's rate limit (if any), the header, the policy's "authentication
 * required" (all before any X25519), then the engine opens the request into the caller's
 * buffer, then the policy's allow-list. A refused datagram is counted by reason and leaves no
 * plaintext behind.
 */
public final class RequestIntake implements ReceiveLoop.Intake<RequestIntake.Accepted> {
    /** 255.255.255.255; compared with {@code equals}, which (unlike {@code getAddress()}) copies nothing. */
    private static final InetAddress LIMITED_BROADCAST = limitedBroadcast();

    /** A request accepted: reused by the next accept, so read it before receiving again. */
    public static final class Accepted {
        private ServerTransaction tx;
        private byte[] clientKey;
        private int length;
        private int datagramLength;
        private SocketAddress sender;

        /** Its open transaction, which the caller now owns (to keep as a reply context, or destroy). */
        public ServerTransaction tx() {
            return tx;
        }

        /** The raw client key the request proved, or null for an anonymous request. */
        public byte[] clientKey() {
            return clientKey != null ? clientKey : tx.clientKey();
        }

        /** How many message bytes were written to the caller's buffer. */
        public int length() {
            return length;
        }

        /** The size of the request's datagram (what a reply to it may be compared with). */
        public int datagramLength() {
            return datagramLength;
        }

        /** Where the request came from. */
        public SocketAddress sender() {
            return sender;
        }

        /** Takes back the message just written to {@code dst} (its context cannot be kept): wiped, position restored. */
        public void undeliver(ByteBuffer dst) {
            unwrite(dst, length);
        }

        /** Forgets the request (the caller has taken what it needs). */
        public void clear() {
            tx = null;
            clientKey = null;
            sender = null;
        }
    }

    private final ServerKeys keys;
    private final PssstClientPolicy policy;
    private final Predicate<byte[]> admits;
    private final ChannelCounters counters;
    private final SourceRateLimiter limiter;
    private final LongSupplier clock;
    private final Accepted accepted = new Accepted();

    /**
     * @param keys the server's keys (replaceable while the channel runs), which count the requests each opens
     * @param admits the policy's verdict on a raw client key (null: anonymous)
     * @param limiter the per-source rate limit, or null: none
     * @param clock the time for {@code limiter} (nanoseconds)
     */
    public RequestIntake(ServerKeys keys, PssstClientPolicy policy, Predicate<byte[]> admits,
            ChannelCounters counters, SourceRateLimiter limiter, LongSupplier clock) {
        this.keys = keys;
        this.policy = policy;
        this.admits = admits;
        this.counters = counters;
        this.limiter = limiter;
        this.clock = clock;
    }

    /** The request decrypted into {@code dst}, or null: dropped and counted. The receive lock held. */
    @Override
    public Accepted accept(Datagram d, ByteBuffer dst) {
        int datagramLength = d.data().remaining();
        DropReason problem = !answerable(d.sender()) ? DropReason.UNANSWERABLE_SOURCE
                : limiter != null && !limiter.tryAcquire(d.sender(), clock.getAsLong()) ? DropReason.RATE_LIMITED
                : Opening.headerProblem(d.data(), false);
        if (problem == null && (Wire.flags(d.data()) & Wire.FLAG_CLIENT_AUTH) == 0 && policy.requiresAuthentication()) {
            problem = DropReason.POLICY_REFUSED;
        }
        if (problem != null) {
            counters.drop(problem); // before any X25519
            return null;
        }
        ServerTransaction tx = null;
        int length;
        ServerKeys.Generation keySet = keys.current(); // one key set for the whole datagram, even if replaced meanwhile
        try {
            tx = keySet.session().begin(d.data());
            length = Opening.openInto(Opening.REQUEST, tx, d.data(), dst, counters);
            keySet.opened(tx.keyIndex());
        } catch (PssstException e) {
            if (tx != null) {
                tx.destroy();
            }
            counters.drop(e);
            return null;
        }
        byte[] clientKey = null;
        if (policy.hasAllowList()) {
            clientKey = tx.clientKey();
            if (!admits.test(clientKey)) {
                unwrite(dst, length);
                tx.destroy();
                counters.drop(DropReason.POLICY_REFUSED);
                return null;
            }
        }
        counters.add(Counter.REQUESTS_ACCEPTED);
        Accepted a = accepted;
        a.tx = tx;
        a.clientKey = clientKey;
        a.length = length;
        a.datagramLength = datagramLength;
        a.sender = d.sender();
        return a;
    }

    /** Wipes the last {@code length} bytes written to {@code dst} and moves its position back over them. */
    private static void unwrite(ByteBuffer dst, int length) {
        int start = dst.position() - length;
        Bytes.wipe(dst, start, length);
        dst.position(start);
    }

    /**
     * Whether a reply can be sent to {@code sender} at all. UDP lets anyone forge the source
     * of a datagram; one from port 0, a wildcard, multicast or limited-broadcast address can
     * never be answered (the JDK refuses to send to port 0), so it costs no X25519.
     */
    static boolean answerable(SocketAddress sender) {
        if (!(sender instanceof InetSocketAddress)) {
            return false;
        }
        InetSocketAddress a = (InetSocketAddress) sender;
        InetAddress ip = a.getAddress();
        return a.getPort() != 0 && ip != null && !ip.isAnyLocalAddress() && !ip.isMulticastAddress()
                && !LIMITED_BROADCAST.equals(ip);
    }

    private static InetAddress limitedBroadcast() {
        try {
            return InetAddress.getByAddress(new byte[] {-1, -1, -1, -1}); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an IPv4 address
        }
    }
}
