package io.pssst.channel;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.internal.ServerSession;
import io.pssst.internal.Wire;
import io.pssst.internal.channel.ReceiveLoop;
import io.pssst.internal.channel.ReplyContexts;
import io.pssst.internal.channel.ReplyContexts.Ctx;
import io.pssst.internal.channel.ReplySender;
import io.pssst.internal.channel.RequestIntake;
import io.pssst.internal.channel.RequestIntake.Accepted;
import io.pssst.internal.channel.ServerKeys;
import io.pssst.internal.channel.SourceRateLimiter;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import io.pssst.PssstX25519;
import java.security.interfaces.XECPrivateKey;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The server role of {@link PssstDatagramChannel}: it holds the server's private key,
 * accepts only valid PSSST requests from clients its {@link PssstClientPolicy} admits, and
 * seals every datagram it sends as the reply to one of them.
 *
 * <h2>Standard calls</h2>
 * {@code receive(dst)} returns the next valid request, decrypted into {@code dst}, and its
 * sender. {@code send(reply, sender)} seals {@code reply} for the <em>oldest unanswered
 * request from that sender</em> received by {@code receive} (first in, first out) and sends
 * it: exactly what a receive-process-send loop needs, and right for several requests from one
 * address as long as they are answered in order. With no such request it throws
 * {@link PssstNoPendingRequestException}. On a connected channel {@code read}/{@code write}
 * do the same with the connected client.
 *
 * <h2>Explicit reply contexts</h2>
 * {@link #receiveRequest} returns a {@link PssstPendingRequest}: the sender, the client key
 * the request proved, and a {@code reply(src)} that any thread may call, in any order. Use it
 * when replies are produced concurrently or out of order; {@code send} never uses these.
 *
 * <h2>Statelessness</h2>
 * Between transactions the channel keeps nothing. A reply context lives from receiving a
 * request until its reply is sent, and is bounded: at most
 * {@link Builder#maxPendingReplies} at once (admitting one more drops the oldest) and none
 * older than {@link Builder#replyContextTimeout} — both counted in {@link #stats()}, both
 * wiping the context's keys. Replayed requests are answered again: PSSST leaves replay
 * detection to idempotent requests, not to server state.
 *
 * <h2>Key rotation</h2>
 * A server can hold previous keys beside its current one ({@link Builder#previousKeys}), and
 * a running channel's keys can be replaced atomically ({@link #setKeys}); {@link #stats()}
 * counts the requests each key opened, by public key.
 *
 * <h2>What is dropped</h2>
 * Garbage, truncated or tampered datagrams, replies, other suites, low-order keys, failed
 * client proofs, and requests the policy refuses — counted by reason, never delivered, never
 * thrown. Datagrams from a source no reply can go to (port 0; a wildcard, multicast or
 * limited-broadcast address: forged sources) are dropped first, and the source, lengths and
 * header are all checked before any X25519 or AES-GCM.
 *
 * <h2>When a reply cannot be sent</h2>
 * A reply that the network stack refuses for its destination (an I/O error from the socket
 * other than the channel being closed: unreachable, not permitted...) is treated as a
 * datagram lost on the way: it is counted ({@link PssstChannelStats#replySendFailures()}),
 * its reply context is wiped, and {@code send} (or {@link PssstPendingRequest#reply}) returns
 * as if it had been sent. What one peer's address does never stops the channel or the loop
 * that sends on it. A closed or interrupted channel still throws, as the JDK's does.
 *
 * <h2>Floods and reflection</h2>
 * A reply datagram is at most {@link Builder#maxAmplification k} times (default 3) the size of
 * the request datagram it answers; a larger one is not sent ({@link PssstAmplificationException}).
 * Each source address (or prefix) can be limited to a rate of datagrams, checked before any
 * cryptography ({@link Builder#rateLimit}, off by default). See docs/operations.md.
 */
public final class PssstServerChannel extends PssstDatagramChannel {
    private final PssstClientPolicy policy;
    private final ServerKeys keys;
    private final int maxAmplification;
    final ReplyContexts contexts; // package-private for tests
    private final ReceiveLoop<Accepted> receiver;
    private final ReplySender replies;

    private PssstServerChannel(DatagramChannel inner, Builder b) throws IOException {
        super(inner, b.clock);
        this.policy = b.policy;
        this.contexts = new ReplyContexts(b.maxPending, PssstRetryPolicy.nanos(b.contextTimeout), counters, clock);
        try {
            this.keys = new ServerKeys(b.session());
        } catch (InvalidKeyMaterialException e) {
            throw new IOException("the X25519 implementation refused the server key", e); // checked in builder()
        }
        RequestIntake intake = new RequestIntake(keys, policy, policy::permitsRaw, counters,
                b.rateLimiter(), clock);
        this.receiver = new ReceiveLoop<>(this, clock, io::read, intake);
        this.maxAmplification = b.maxAmplification;
        this.replies = new ReplySender(contexts, io, txLock, txBuffer, counters, maxAmplification);
    }

    /**
     * Starts building a server holding {@code serverKey}.
     *
     * @param serverKey the server's private key
     * @return the builder
     * @throws InvalidKeyMaterialException if {@code serverKey} is not a usable X25519 private key
     */
    public static Builder builder(XECPrivateKey serverKey) throws InvalidKeyMaterialException {
        return new Builder(serverKey);
    }

    /** {@return which clients this server answers} */
    public PssstClientPolicy clientPolicy() {
        return policy;
    }

    /**
     * Replaces the server's keys while the channel runs (a key rotation, atomically): every
     * datagram received after the call is opened with {@code current} first and then, only
     * when its tag fails, with each of {@code previous} in turn; a datagram being opened at
     * the moment of the call is opened with the old keys or the new ones, never half of each.
     * Requests already received keep their reply contexts (each holds its own transaction
     * keys), so their replies are sealed and sent as if nothing had changed; nothing pending
     * is dropped. The client policy, the X25519 implementation and the prepared client tables
     * stay as they are. {@link #stats()} counts requests per key by public key, so a key that
     * moves from current to previous keeps its count.
     *
     * <p>Each key held costs a request for no key held (a forged one) one X25519: keep the
     * previous keys to those clients may still use, and drop them once clients have moved.
     * Only this channel changes: other channels opened by the same builder keep their keys.
     *
     * @param current the new current private key
     * @param previous the previous keys still honoured, most recent first (may be empty; copied)
     * @throws InvalidKeyMaterialException if a key is not an X25519 private key (nothing changes)
     * @throws NullPointerException if an argument or key is null (nothing changes)
     */
    public void setKeys(XECPrivateKey current, List<XECPrivateKey> previous) throws InvalidKeyMaterialException {
        Objects.requireNonNull(current, "current");
        List<XECPrivateKey> copy = List.copyOf(previous);
        synchronized (keys) {
            keys.set(keys.current().session().withServerKeys(current, copy));
        }
    }

    @Override
    void roleCounts(PssstChannelStats.Counts c) {
        c.serverKeys = keys.held();
        c.openedByKey = Collections.unmodifiableMap(keys.openedByKey());
    }

    /** {@return reply contexts held right now (received, not yet answered, not yet dropped)} */
    public int pendingReplies() {
        contexts.expireNow();
        return contexts.size();
    }

    /** 65,455 bytes: a datagram's 65,507 less PSSST's 52 bytes of overhead. */
    @Override
    public int maxMessageLength() {
        return Wire.MAX_DATAGRAM - Wire.OVERHEAD;
    }

    // ---- receiving ---------------------------------------------------------------------------

    @Override
    SocketAddress receiveInto(ByteBuffer dst, long timeoutMillis) throws IOException {
        rxLock.lock();
        try {
            while (true) {
                Accepted a = receiver.receive(dst, timeoutMillis);
                if (a == null) {
                    return null;
                }
                try {
                    if (contexts.add(a.tx(), a.sender(), a.datagramLength(), false) != null) {
                        return a.sender();
                    }
                    a.undeliver(dst); // closed, or every context busy: the request cannot be answered
                } finally {
                    a.clear();
                }
            }
        } finally {
            rxLock.unlock();
        }
    }

    /**
     * Receives the next valid request, decrypted into {@code dst}, as a handle whose
     * {@link PssstPendingRequest#reply} answers it from any thread. Blocks in blocking mode;
     * in non-blocking mode returns null when no valid request is ready.
     *
     * @param dst where the request's message is written, at its position
     * @return the request, or null in non-blocking mode when none is ready
     * @throws IllegalArgumentException if {@code dst} is read-only
     * @throws IOException if an I/O error occurs, as {@code receive} throws them
     */
    public PssstPendingRequest receiveRequest(ByteBuffer dst) throws IOException {
        checkDst(dst);
        ensureOpen();
        rxLock.lock();
        try {
            while (true) {
                Accepted a = receiver.receive(dst, -1);
                if (a == null) {
                    return null;
                }
                try {
                    byte[] clientKey = a.clientKey();
                    PssstRequestId id = new PssstRequestId(a.tx().requestId());
                    Ctx c = contexts.add(a.tx(), a.sender(), a.datagramLength(), true);
                    if (c != null) {
                        return new PssstPendingRequest(this, c, c.generation(), a.sender(), clientKey, id, a.length());
                    }
                    a.undeliver(dst);
                } finally {
                    a.clear();
                }
            }
        } finally {
            rxLock.unlock();
        }
    }

    // ---- sending -----------------------------------------------------------------------------

    @Override
    int sendFrom(ByteBuffer src, SocketAddress target) throws IOException {
        checkLength(src.remaining());
        Ctx c = contexts.claimOldestFrom(target);
        if (c == null) {
            throw new PssstNoPendingRequestException("no unanswered request from " + target
                    + " (none received by receive(), all answered, or its reply context was dropped: see stats())");
        }
        return Math.max(0, send(c, src, target));
    }

    /** A handle's reply; -1 when the socket had no room. */
    int reply(Ctx c, long generation, ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src, "src");
        ensureOpen();
        checkLength(src.remaining());
        if (!contexts.claim(c, generation)) {
            throw new PssstNoPendingRequestException("the reply context of this request is gone (it expired,"
                    + " was evicted by newer requests, was abandoned, or the channel closed: see stats()),"
                    + " or another thread is answering it");
        }
        return send(c, src, target);
    }

    /** Sends a claimed context's reply; -1 when the socket had no room. */
    private int send(Ctx c, ByteBuffer src, SocketAddress target) throws IOException {
        int requestLength = c.requestLength();
        int n = replies.send(c, src, target);
        if (n == ReplySender.REFUSED) {
            throw new PssstAmplificationException(Wire.replyLength(src.remaining()), requestLength, maxAmplification);
        }
        return n;
    }

    void abandon(Ctx c, long generation) {
        contexts.abandon(c, generation);
    }

    /** Drops (and wipes) every reply context: the channel closed. */
    @Override
    void afterClose() {
        contexts.closeAll();
    }

    @Override
    String describeRole() {
        return policy.toString();
    }

    /**
     * Options of a server channel; {@link #open()} opens a new UDP socket, {@link #wrap}
     * adopts an existing one. Not thread-safe; each build uses the values set so far.
     */
    public static final class Builder extends ChannelBuilder<Builder, PssstServerChannel> {
        private final XECPrivateKey serverKey;
        private List<XECPrivateKey> previousKeys = List.of();
        private ServerSession session; // made by the first open, for every channel of the same settings
        private PssstClientPolicy sessionPolicy; // the policy it was made for
        private List<XECPrivateKey> sessionPrevious; // the previous keys it was made with
        private PssstClientPolicy policy = PssstClientPolicy.anonymousAllowed();
        private int maxPending = 1024;
        private Duration contextTimeout = Duration.ofSeconds(10);
        private long ratePerSource; // 0: no rate limit
        private int prefix4 = 32;
        private int prefix6 = 128;
        private int rateSources = 16_384;
        private int maxAmplification = 3;

        private Builder(XECPrivateKey serverKey) throws InvalidKeyMaterialException {
            ServerSession.checkServerKey(serverKey);
            this.serverKey = serverKey;
        }

        /**
         * The session of the channels this builder opens: made once and shared (it is
         * immutable), anew when the X25519 implementation, the policy or the previous keys
         * changed. With the built-in X25519 it has a table for each key of the policy's
         * allow-list. Each channel counts its own requests per key.
         */
        private ServerSession session() throws IOException {
            PssstX25519 x25519 = x25519();
            if (session == null || session.x25519() != x25519 || sessionPolicy != policy
                    || sessionPrevious != previousKeys) {
                try {
                    session = ServerSession.of(serverKey, previousKeys, x25519).expectingClients(policy.allowedRawKeys());
                    sessionPolicy = policy;
                    sessionPrevious = previousKeys;
                } catch (InvalidKeyMaterialException e) {
                    throw new IOException("the X25519 implementation refused the server key", e); // checked in builder()
                }
            }
            return session;
        }

        /**
         * Previous keys the server still honours during a key rotation (default none): a
         * request is opened with the server key first and, only when its tag fails, with each
         * of these in turn. A request for an old key costs one X25519 more per key tried
         * before it; a request for no key held (a forged one), one per key held. A running
         * channel's keys are changed with {@link PssstServerChannel#setKeys}.
         *
         * @param previousKeys the previous private keys, most recent first (may be empty; copied)
         * @return this builder
         * @throws InvalidKeyMaterialException if one is not a usable X25519 private key
         * @throws NullPointerException if the list or one of its keys is null
         */
        public Builder previousKeys(List<XECPrivateKey> previousKeys) throws InvalidKeyMaterialException {
            List<XECPrivateKey> copy = List.copyOf(previousKeys);
            for (XECPrivateKey k : copy) {
                ServerSession.checkServerKey(k);
            }
            this.previousKeys = copy;
            return this;
        }

        /**
         * Which clients to answer (default {@link PssstClientPolicy#anonymousAllowed()}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder clientPolicy(PssstClientPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The most reply contexts held at once (default 1024; 1 to 1,048,576).
         *
         * @param max the bound
         * @return this builder
         */
        public Builder maxPendingReplies(int max) {
            if (max < 1 || max > 1 << 20) {
                throw new IllegalArgumentException("maxPendingReplies must be 1 to 1048576: " + max);
            }
            this.maxPending = max;
            return this;
        }

        /**
         * How long a request may wait for its reply before its context is dropped (default
         * 10 s; longer than about 73 years is taken as that, no limit in practice).
         *
         * @param timeout the longest wait (positive)
         * @return this builder
         */
        public Builder replyContextTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("replyContextTimeout must be positive: " + timeout);
            }
            this.contextTimeout = timeout;
            return this;
        }

        // ---- defences against floods and reflection (docs/operations.md) ----------------

        /**
         * Limits every source to {@code datagramsPerSecond} datagrams a second, with a burst
         * of one second's worth (default: 0, no limit). Each datagram is counted against its
         * source's token bucket before any cryptography, valid or not; one over the limit is
         * dropped as {@link PssstChannelStats.DropReason#RATE_LIMITED}. So one flooder, whose
         * every well-formed datagram would cost an X25519, cannot take the server's CPU from
         * everyone else: it gets {@code datagramsPerSecond} X25519 operations a second.
         *
         * <p>A source is an address ({@link #rateLimitPrefixes prefixes} can make it a subnet);
         * the table of sources is fixed ({@link #rateLimitSources}). Off by default because a
         * server behind a load balancer or NAT sees the balancer's address for every client:
         * limit at the balancer then, or make it preserve client addresses. Per-source
         * limiting cannot stop a flood whose (forged) sources are spread over more addresses
         * than the table holds, nor one that fills the network before it reaches the server.
         * Each channel opened has its own limiter (servers sharing a port with
         * {@code SO_REUSEPORT} each limit the datagrams they get).
         *
         * @param datagramsPerSecond datagrams a second per source, 1 to 10,000,000; 0: no limit
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder rateLimit(long datagramsPerSecond) {
            if (datagramsPerSecond < 0 || datagramsPerSecond > 10_000_000) {
                throw new IllegalArgumentException("rateLimit must be 0 (off) or 1 to 10,000,000 datagrams a second"
                        + " per source: " + datagramsPerSecond);
            }
            this.ratePerSource = datagramsPerSecond;
            return this;
        }

        /**
         * What counts as one source for {@link #rateLimit}: addresses that share their first
         * {@code ipv4} bits (IPv4) or {@code ipv6} bits (IPv6) share one bucket (default /32
         * and /128: each address on its own). {@code /64} is the usual IPv6 choice, since one
         * host often owns a whole /64; wider prefixes also put unrelated clients together.
         *
         * @param ipv4 1 to 32
         * @param ipv6 1 to 128
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder rateLimitPrefixes(int ipv4, int ipv6) {
            if (ipv4 < 1 || ipv4 > 32 || ipv6 < 1 || ipv6 > 128) {
                throw new IllegalArgumentException("rateLimitPrefixes must be 1 to 32 (IPv4) and 1 to 128 (IPv6): /"
                        + ipv4 + ", /" + ipv6);
            }
            this.prefix4 = ipv4;
            this.prefix6 = ipv6;
            return this;
        }

        /**
         * How many sources the rate limiter tracks at once (default 16,384: 512 KB a
         * channel; rounded up to a power of two). Memory is fixed: a source not in the table
         * takes the entry of the fullest bucket of its set, so an idle source is forgotten
         * first and a limited flooder (its bucket empty) last.
         *
         * @param sources 1 to 16,777,216
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder rateLimitSources(int sources) {
            if (sources < 1 || sources > 1 << 24) {
                throw new IllegalArgumentException("rateLimitSources must be 1 to 16777216: " + sources);
            }
            this.rateSources = sources;
            return this;
        }

        /**
         * The anti-amplification bound: a reply datagram may be at most {@code k} times the
         * size of the request datagram it answers (default 3, as QUIC allows a server before it
         * has validated a client's address; 0: no bound). A larger reply is not sent:
         * {@code send} and {@link PssstPendingRequest#reply} throw
         * {@link PssstAmplificationException}, the request's context is wiped, and the refusal
         * is counted ({@link PssstChannelStats#repliesRefusedAmplification()}).
         *
         * <p>Why a bound, and why on by default: a PSSST server never validates a client's
         * address (that would take a round trip and state), and anyone who has the server's
         * public key can make valid requests, so anyone can send a request with a forged
         * source and have the reply go to a victim. With the bound, such a reflector gives an
         * attacker at most {@code k} bytes for each byte sent. A client that expects a large
         * reply pads its request, as QUIC clients pad Initial packets to 1200 bytes;
         * applications that must send large replies to small requests can raise {@code k}, or
         * set 0 where the clients are known and reflection is no concern (a server reachable
         * only by authenticated clients on a private network, say).
         *
         * @param k the factor, 0 (no bound) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxAmplification(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("maxAmplification must be 0 (no bound) or positive: " + k);
            }
            this.maxAmplification = k;
            return this;
        }

        /** A new rate limiter for a channel, or null: none. */
        private SourceRateLimiter rateLimiter() {
            return ratePerSource == 0 ? null : new SourceRateLimiter(ratePerSource, rateSources, prefix4, prefix6);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        PssstServerChannel create(DatagramChannel inner) throws IOException {
            return new PssstServerChannel(inner, this);
        }
    }
}
