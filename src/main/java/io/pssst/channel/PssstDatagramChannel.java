package io.pssst.channel;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.internal.channel.ChannelCounters;
import io.pssst.internal.channel.ChannelCounters.Counter;
import io.pssst.internal.channel.ChannelLog;
import io.pssst.internal.channel.DatagramIo;
import io.pssst.internal.channel.PssstDatagramSocket;
import io.pssst.internal.channel.PssstMembershipKey;
import io.pssst.internal.channel.Vectors;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A {@link DatagramChannel} that speaks PSSST: what goes out is sealed, what comes in is
 * checked and decrypted, and what fails the checks is dropped and counted
 * ({@link #stats()}), never handed to the caller. A drop-in replacement for the JDK's
 * channel in request/response code: same methods, same {@code ByteBuffer} habits, same
 * blocking and non-blocking behaviour.
 *
 * <p>Two roles, one type each: {@link PssstClientChannel} (sends requests, receives the
 * replies that answer them) and {@link PssstServerChannel} (receives requests, answers each
 * once). Open one with the static factories here or the role's {@code builder}; each opens
 * its own UDP socket, or wraps an existing {@code DatagramChannel} with {@code wrap}.
 *
 * <p><b>Selectors.</b> The JDK's selectors accept only the JDK's own channel class. Register
 * PSSST channels (and any JDK channels alongside them) with a selector from
 * {@code PssstSelectorProvider}; {@code key.channel()} is then this channel, so a loop that
 * receives from it gets decrypted data. See docs/channel.md.
 *
 * <p><b>Buffers.</b> {@code receive} decrypts straight from the channel's receive buffer into
 * the caller's {@code dst}; {@code send} seals from the caller's {@code src} into one reused
 * direct buffer per channel. Neither retains the caller's buffers. A message larger than
 * {@code dst} has room for is truncated, as with the JDK, and counted
 * ({@link PssstChannelStats#truncated()}). A message too long for one datagram is refused
 * before sending with {@link PssstMessageTooLongException}.
 *
 * <p><b>Monitoring.</b> {@link #stats()} counts everything; {@link #registerMXBean()} makes the
 * counts an MXBean of the platform MBean server ({@code jconsole}, JMX agents) until the channel
 * closes; the channel logs through the {@link System.Logger} {@code io.pssst.channel}, never
 * key material. See docs/channel.md.
 *
 * <p><b>Threads.</b> Thread-safe like the JDK's channel: one reader and one writer at a time
 * (others wait on a {@link ReentrantLock}, never in {@code synchronized}, so virtual threads
 * are not pinned by this class).
 *
 * <p><b>Differences from the JDK's channel.</b> {@code send} on a server channel needs an
 * unanswered request from the target ({@link PssstServerChannel}); multicast membership
 * works, but PSSST answers each request once, so a client that sends to a group accepts the
 * first reply and counts the others as duplicates.
 */
public abstract sealed class PssstDatagramChannel extends ManagedDatagramChannel
        permits PssstClientChannel, PssstServerChannel {

    final ChannelCounters counters = new ChannelCounters(
            new ChannelLog(this::toString, this instanceof PssstServerChannel, System::nanoTime));
    /**
     * Held by every receive while it uses the inner channel. Fair, so that the client's call
     * pump, which takes it again and again in short slices (timed tryLock honours fairness),
     * cannot starve a caller's receive or a change of blocking mode.
     */
    final ReentrantLock rxLock = new ReentrantLock(true);
    final ReentrantLock txLock = new ReentrantLock();
    /** Where requests and replies are sealed; guarded by txLock. */
    final ByteBuffer txBuffer = ByteBuffer.allocateDirect(DatagramIo.BUFFER_CAPACITY);
    final LongSupplier clock;
    /** Raw datagrams in and out of the inner channel; reads under rxLock. */
    final DatagramIo io;

    private final Vectors vectors = new Vectors();
    private volatile PssstDatagramSocket socket;
    private final Object socketLock = new Object();

    PssstDatagramChannel(DatagramChannel inner, LongSupplier clock) throws IOException {
        super(inner);
        this.clock = clock;
        this.io = new DatagramIo(inner, this, new Interruptible(), counters);
    }

    /** Lends the inner channel's I/O our {@code begin}/{@code end}: closing or interrupting us ends it. */
    private final class Interruptible implements DatagramIo.Interruptible {
        @Override
        public void begin() {
            PssstDatagramChannel.this.begin();
        }

        @Override
        public void end(boolean completed) throws AsynchronousCloseException {
            PssstDatagramChannel.this.end(completed);
        }
    }

    // ---- factories -------------------------------------------------------------------------

    /**
     * An anonymous client of the server with public key {@code serverKey}, on a new UDP socket.
     *
     * @param serverKey the server's public key
     * @return the channel, unbound, in blocking mode
     * @throws InvalidKeyMaterialException if {@code serverKey} is not a usable X25519 public key
     * @throws IOException if the socket cannot be opened
     */
    public static PssstClientChannel openClient(XECPublicKey serverKey) throws IOException, InvalidKeyMaterialException {
        return PssstClientChannel.builder(serverKey).open();
    }

    /**
     * A client that authenticates with {@code clientKey}, on a new UDP socket.
     *
     * @param serverKey the server's public key
     * @param clientKey the client's private key
     * @return the channel, unbound, in blocking mode
     * @throws InvalidKeyMaterialException if a key is not a usable X25519 key
     * @throws IOException if the socket cannot be opened
     */
    public static PssstClientChannel openClient(XECPublicKey serverKey, XECPrivateKey clientKey)
            throws IOException, InvalidKeyMaterialException {
        return PssstClientChannel.builder(serverKey).clientKey(clientKey).open();
    }

    /**
     * A server holding {@code serverKey} that answers any client, on a new UDP socket.
     *
     * @param serverKey the server's private key
     * @return the channel, unbound, in blocking mode
     * @throws InvalidKeyMaterialException if {@code serverKey} is not a usable X25519 private key
     * @throws IOException if the socket cannot be opened
     */
    public static PssstServerChannel openServer(XECPrivateKey serverKey) throws IOException, InvalidKeyMaterialException {
        return PssstServerChannel.builder(serverKey).open();
    }

    /**
     * A server holding {@code serverKey} that answers the clients {@code policy} accepts, on a
     * new UDP socket.
     *
     * @param serverKey the server's private key
     * @param policy which clients to answer
     * @return the channel, unbound, in blocking mode
     * @throws InvalidKeyMaterialException if {@code serverKey} is not a usable X25519 private key
     * @throws IOException if the socket cannot be opened
     */
    public static PssstServerChannel openServer(XECPrivateKey serverKey, PssstClientPolicy policy)
            throws IOException, InvalidKeyMaterialException {
        return PssstServerChannel.builder(serverKey).clientPolicy(policy).open();
    }

    /**
     * Not a PSSST channel: always throws. Declared only to hide {@link DatagramChannel#open()},
     * which a subclass inherits as a static method, so that {@code PssstClientChannel.open()}
     * cannot silently return a plain, unencrypted JDK channel.
     *
     * @return never: it always throws
     * @deprecated use {@link #openClient}, {@link #openServer}, or a role's {@code builder(...).open()}
     * @throws UnsupportedOperationException always
     */
    @Deprecated
    public static DatagramChannel open() {
        throw new UnsupportedOperationException(PLAIN_OPEN);
    }

    /**
     * Not a PSSST channel: always throws. Hides {@link DatagramChannel#open(ProtocolFamily)};
     * see {@link #open()}.
     *
     * @param family ignored
     * @return never: it always throws
     * @deprecated use a role's {@code builder(...).protocolFamily(family).open()}
     * @throws UnsupportedOperationException always
     */
    @Deprecated
    public static DatagramChannel open(ProtocolFamily family) {
        throw new UnsupportedOperationException(PLAIN_OPEN);
    }

    private static final String PLAIN_OPEN = "DatagramChannel.open() opens a plain JDK channel, not a PSSST one:"
            + " use PssstDatagramChannel.openClient/openServer or PssstClientChannel/PssstServerChannel.builder(...)";

    // ---- what the roles provide ------------------------------------------------------------

    /**
     * Receives the next valid datagram into {@code dst}; the role takes rxLock.
     *
     * @param timeoutMillis -1: the channel's own mode (blocking, or non-blocking);
     *        &ge; 0: a timed wait in blocking mode (0 = no limit), returning null on timeout
     */
    abstract SocketAddress receiveInto(ByteBuffer dst, long timeoutMillis) throws IOException;

    /** Seals and sends {@code src} to {@code target}, which has been checked. */
    abstract int sendFrom(ByteBuffer src, SocketAddress target) throws IOException;

    /** {@return the longest message one datagram of this channel can carry} */
    public abstract int maxMessageLength();

    /** {@return a snapshot of this channel's counters: datagrams delivered, sent, and dropped by reason} */
    @Override
    public final PssstChannelStats stats() {
        ChannelCounters live = counters;
        PssstChannelStats.Counts c = new PssstChannelStats.Counts();
        c.datagramsReceived = live.get(Counter.DATAGRAMS_RECEIVED);
        c.datagramsSent = live.get(Counter.DATAGRAMS_SENT);
        c.requestsSent = live.get(Counter.REQUESTS_SENT);
        c.retransmissions = live.get(Counter.RETRANSMISSIONS);
        c.repliesAccepted = live.get(Counter.REPLIES_ACCEPTED);
        c.requestsTimedOut = live.get(Counter.REQUESTS_TIMED_OUT);
        c.requestsEvicted = live.get(Counter.REQUESTS_EVICTED);
        c.requestsExpired = live.get(Counter.REQUESTS_EXPIRED);
        c.requestsAccepted = live.get(Counter.REQUESTS_ACCEPTED);
        c.repliesSent = live.get(Counter.REPLIES_SENT);
        c.contextsExpired = live.get(Counter.CONTEXTS_EXPIRED);
        c.contextsEvicted = live.get(Counter.CONTEXTS_EVICTED);
        c.truncated = live.get(Counter.TRUNCATED);
        c.sendFailures = live.get(Counter.SEND_FAILURES);
        c.replySendFailures = live.get(Counter.REPLY_SEND_FAILURES);
        roleCounts(c);
        c.repliesRefusedAmplification = live.get(Counter.REPLIES_REFUSED_AMPLIFICATION);
        return new PssstChannelStats(c, live.drops());
    }

    /** Adds what only the role counts to a snapshot being made (the server: its keys). */
    void roleCounts(PssstChannelStats.Counts c) {
    }

    // ---- receiving and sending -------------------------------------------------------------

    /**
     * Receives the next valid datagram, decrypted into {@code dst}; see the role's class for
     * what "valid" means. In non-blocking mode returns null when no valid datagram is ready
     * (invalid ones are dropped and counted, never thrown).
     *
     * @return the sender's address, or null in non-blocking mode when nothing valid is ready
     * @throws IllegalArgumentException if {@code dst} is read-only
     */
    @Override
    public final SocketAddress receive(ByteBuffer dst) throws IOException {
        checkDst(dst);
        ensureOpen();
        return receiveInto(dst, -1);
    }

    /** The socket adaptor's receive: a timed wait in blocking mode, null on timeout. */
    private SocketAddress receiveTimed(ByteBuffer dst, int timeoutMillis) throws IOException {
        checkDst(dst);
        ensureOpen();
        if (!isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        return receiveInto(dst, Math.max(0, timeoutMillis));
    }

    /**
     * Seals {@code src}'s remaining bytes and sends them to {@code target} as one datagram.
     *
     * @return the number of message bytes sent: {@code src.remaining()}, or zero (nothing
     *         consumed) in non-blocking mode when the socket has no room
     * @throws PssstMessageTooLongException if the message does not fit in one datagram
     * @throws PssstNoPendingRequestException (server) if no request from {@code target} awaits a reply
     * @throws PssstAmplificationException (server) if the reply is larger than the amplification
     *         bound allows: nothing sent, the request's context wiped
     */
    @Override
    public final int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src, "src");
        ensureOpen();
        checkTarget(target);
        return sendFrom(src, target);
    }

    /** On a connected channel: {@code receive}, returning the message length (0 when nothing is ready). */
    @Override
    public final int read(ByteBuffer dst) throws IOException {
        checkDst(dst);
        ensureOpenAndConnected();
        int start = dst.position();
        return receiveInto(dst, -1) == null ? 0 : dst.position() - start;
    }

    /** On a connected channel: one datagram scattered over {@code dsts}, in order. */
    @Override
    public final long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        long room = 0;
        for (int i = offset; i < offset + length; i++) {
            checkDst(dsts[i]);
            room += dsts[i].remaining();
        }
        ensureOpenAndConnected();
        rxLock.lock();
        try {
            return vectors.scatter(dsts, offset, length, room, s -> receiveInto(s, -1) != null);
        } finally {
            rxLock.unlock();
        }
    }

    /** On a connected channel: {@code send} to the remote address. */
    @Override
    public final int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        ensureOpenAndConnected();
        return sendFrom(src, inner.getRemoteAddress());
    }

    /** On a connected channel: the remaining bytes of {@code srcs}, gathered, as one message. */
    @Override
    public final long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        ensureOpenAndConnected();
        if (total > maxMessageLength()) {
            throw new PssstMessageTooLongException((int) Math.min(Integer.MAX_VALUE, total), maxMessageLength());
        }
        SocketAddress remote = inner.getRemoteAddress();
        return vectors.gather(srcs, offset, length, total, message -> sendFrom(message, remote));
    }

    // ---- what the roles share -----------------------------------------------------------------

    /** Every receive holds rxLock while it uses the inner channel; a mode change waits for it. */
    @Override
    final Lock receiveLock() {
        return rxLock;
    }

    /** Refuses, before any work, a message that cannot fit in one datagram. */
    final void checkLength(int messageLength) throws PssstMessageTooLongException {
        if (messageLength > maxMessageLength()) {
            throw new PssstMessageTooLongException(messageLength, maxMessageLength());
        }
    }

    final void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void ensureOpenAndConnected() throws ClosedChannelException {
        ensureOpen();
        if (!inner.isConnected()) {
            throw new NotYetConnectedException();
        }
    }

    static void checkDst(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }

    /**
     * Refuses, as the JDK's {@code send} does but before any work, a target it would refuse:
     * not an {@link InetSocketAddress}, unresolved, or not the address this channel is
     * connected to.
     */
    final void checkTarget(SocketAddress target) throws IOException {
        Objects.requireNonNull(target, "target");
        if (!(target instanceof InetSocketAddress)) {
            throw new UnsupportedAddressTypeException();
        }
        if (((InetSocketAddress) target).isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        if (isConnected() && !target.equals(inner.getRemoteAddress())) {
            throw new AlreadyConnectedException();
        }
    }

    // ---- the rest of DatagramChannel, delegated --------------------------------------------

    @Override
    public final PssstDatagramChannel bind(SocketAddress local) throws IOException {
        inner.bind(local);
        return this;
    }

    @Override
    public final <T> PssstDatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        inner.setOption(name, value);
        return this;
    }

    @Override
    public final <T> T getOption(SocketOption<T> name) throws IOException {
        return inner.getOption(name);
    }

    @Override
    public final Set<SocketOption<?>> supportedOptions() {
        return inner.supportedOptions();
    }

    /**
     * A {@link DatagramSocket} view of this channel whose {@code send} and {@code receive}
     * go through PSSST (never raw), honouring {@code setSoTimeout}. The same object every time.
     */
    @Override
    public final DatagramSocket socket() {
        PssstDatagramSocket s = socket;
        if (s == null) {
            synchronized (socketLock) { // no I/O inside: creating the adaptor only
                s = socket;
                if (s == null) {
                    s = new PssstDatagramSocket(this, this::receiveTimed);
                    socket = s;
                }
            }
        }
        return s;
    }

    @Override
    public final boolean isConnected() {
        return inner.isConnected();
    }

    /** Restricts the channel to one peer, as the JDK's {@code connect} does; enables {@code read} and {@code write}. */
    @Override
    public final PssstDatagramChannel connect(SocketAddress remote) throws IOException {
        inner.connect(remote);
        return this;
    }

    @Override
    public final PssstDatagramChannel disconnect() throws IOException {
        inner.disconnect();
        return this;
    }

    @Override
    public final SocketAddress getRemoteAddress() throws IOException {
        return inner.getRemoteAddress();
    }

    @Override
    public final SocketAddress getLocalAddress() throws IOException {
        return inner.getLocalAddress();
    }

    /** Joins a multicast group on the inner socket; the key's {@code channel()} is this channel. */
    @Override
    public final MembershipKey join(InetAddress group, NetworkInterface interf) throws IOException {
        return new PssstMembershipKey(this, inner.join(group, interf));
    }

    /** Source-specific join; see {@link #join(InetAddress, NetworkInterface)}. */
    @Override
    public final MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        return new PssstMembershipKey(this, inner.join(group, interf, source));
    }

    /** What {@link #toString()} says about the role: public facts only, never a key. */
    abstract String describeRole();

    /** The role, local address, and state; no key material. */
    @Override
    public final String toString() {
        String local;
        try {
            local = String.valueOf(inner.getLocalAddress());
        } catch (IOException e) {
            local = "closed";
        }
        return getClass().getSimpleName() + "[local=" + local + (isConnected() ? ", connected" : "")
                + ", " + describeRole() + (isOpen() ? "" : ", closed") + "]";
    }
}
