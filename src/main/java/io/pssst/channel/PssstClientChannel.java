package io.pssst.channel;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.internal.ClientSession;
import io.pssst.internal.Wire;
import io.pssst.internal.X25519;
import io.pssst.internal.channel.CallPump;
import io.pssst.internal.channel.DatagramIo.Datagram;
import io.pssst.internal.channel.ReceiveLoop;
import io.pssst.internal.channel.ReplyIntake;
import io.pssst.internal.channel.RequestSender;
import io.pssst.internal.channel.RequestTable;
import io.pssst.internal.channel.RequestTable.Match;
import io.pssst.internal.channel.RequestTable.TimedOut;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetConnectedException;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client role of {@link PssstDatagramChannel}: it knows the server's public key (and,
 * optionally, its own key pair, to authenticate), seals every datagram it sends as a PSSST
 * request and accepts only datagrams that are valid replies to its outstanding requests.
 *
 * <h2>Standard calls</h2>
 * {@code send(src, server)} seals {@code src} as one request and sends it (once: no
 * retransmission, as with the JDK); {@code receive(dst)} returns the next reply that answers
 * an outstanding request, decrypted into {@code dst}, and the server's address;
 * {@code write}/{@code read} do the same on a connected channel. A plain request waits for its
 * reply for the retry policy's {@linkplain PssstRetryPolicy#totalTimeout() total timeout},
 * then is forgotten ({@link PssstChannelStats#requestsExpired()}).
 *
 * <h2>Requests with an identity, retransmission and timeouts</h2>
 * {@link #sendRequest} returns the request's {@link PssstRequestId}, retransmits the same
 * datagram per the {@link PssstRetryPolicy}, and {@link #receiveReply} says which request each
 * reply answers — or reports a timeout as a {@link PssstReply} event. {@link #call} blocks for
 * the reply and throws {@link PssstTimeoutException}; {@link #callAsync} returns a
 * {@link CompletableFuture} that completes with the reply or fails with that exception.
 * Retransmissions, and every datagram of a call, go out on one shared timer thread: the
 * thread of a {@code call} or {@code callAsync} does none of the channel's I/O, so
 * interrupting it abandons the call but never closes the channel (an interrupt during I/O
 * closes a JDK channel). In blocking mode a per-channel daemon thread reads replies while
 * calls are outstanding; in non-blocking mode the event loop's {@code receive}/{@code read}/
 * {@code receiveReply} calls read them. Futures complete on the thread that read the reply:
 * use the {@code *Async} stages for slow work, and never block in a dependent stage (in
 * blocking mode that stalls every call of the channel until the stage returns).
 *
 * <h2>What is dropped</h2>
 * Anything that is not a valid reply to an outstanding request: garbage, truncated or
 * tampered datagrams, requests, other suites, replies to other requests, and second copies
 * of a reply (retransmission, duplication or replay) — each counted by reason in
 * {@link #stats()}, never delivered, never thrown.
 *
 * <p>Outstanding requests are bounded ({@link Builder#maxOutstandingRequests}); when full, a
 * new {@code send}, {@code sendRequest} or {@code callAsync} evicts the oldest (plain ones
 * first) and a {@code call} waits for room.
 */
public final class PssstClientChannel extends PssstDatagramChannel {
    private static final long REPLY_SLICE_MILLIS = 50;

    private final ClientSession session;
    private final PssstRetryPolicy retry;
    final RequestTable requests; // package-private for tests
    private final RequestSender sender;
    private final ReplyIntake intake;
    private final ReceiveLoop<Match> receiver;
    private final CallPump pump;

    private PssstClientChannel(DatagramChannel inner, Builder b, ClientSession session) throws IOException {
        super(inner, b.clock);
        this.session = session;
        this.retry = b.retry;
        this.requests = new RequestTable(b.maxOutstanding, counters, clock, PssstTimeoutException::new);
        this.sender = new RequestSender(this, session, b.random, requests, retry, clock, io, txLock, txBuffer, counters,
                PssstRequestId::new, PssstTimeoutException::new);
        this.intake = new ReplyIntake(requests, counters);
        this.receiver = new ReceiveLoop<>(this, clock, this::nextDatagram, intake);
        this.pump = new CallPump(this, rxLock, requests, io, intake);
    }

    /**
     * Starts building a client of the server whose public key is {@code serverKey}.
     *
     * @param serverKey the server's public key
     * @return the builder
     * @throws InvalidKeyMaterialException if {@code serverKey} is not a usable X25519 public key
     */
    public static Builder builder(XECPublicKey serverKey) throws InvalidKeyMaterialException {
        return new Builder(serverKey);
    }

    /** {@return whether requests carry client authentication} */
    public boolean isAuthenticated() {
        return session.authenticated();
    }

    /** {@return the client's public key, if it authenticates} */
    public Optional<XECPublicKey> clientKey() {
        byte[] c = session.clientPublicKey();
        return c == null ? Optional.empty() : Optional.of(X25519.publicKey(c, 0));
    }

    /** {@return the server's public key} */
    public XECPublicKey serverKey() {
        return session.serverKey();
    }

    /** {@return the retry policy of {@code sendRequest}, {@code call} and {@code callAsync}} */
    public PssstRetryPolicy retryPolicy() {
        return retry;
    }

    /** {@return requests waiting for a reply, of every kind} */
    public int outstandingRequests() {
        return requests.size();
    }

    /** 65,455 bytes (65,391 when authenticated): a datagram's 65,507 less PSSST's overhead. */
    @Override
    public int maxMessageLength() {
        return Wire.MAX_DATAGRAM - Wire.requestLength(0, session.authenticated());
    }

    // ---- sending -----------------------------------------------------------------------------

    @Override
    int sendFrom(ByteBuffer src, SocketAddress target) throws IOException {
        checkLength(src.remaining());
        return sender.send(src, target);
    }

    /**
     * Seals {@code src} as a request to {@code target} and sends it; the channel retransmits
     * the same datagram as its retry policy says until a reply comes or the request times
     * out. {@link #receiveReply} then delivers the reply, or a timeout event, naming the id.
     *
     * @param src the request's message: its remaining bytes, consumed when sent
     * @param target the server's address
     * @return the request's id; null in non-blocking mode when the socket had no room, or every
     *         request slot is held by a request still being sealed (nothing consumed, nothing
     *         outstanding)
     * @throws PssstMessageTooLongException if the message does not fit in one datagram
     * @throws java.nio.channels.UnresolvedAddressException if {@code target} is unresolved
     * @throws java.nio.channels.UnsupportedAddressTypeException if it is not an {@code InetSocketAddress}
     * @throws java.nio.channels.AlreadyConnectedException if the channel is connected to another address
     *         (these three as {@code send} throws them: before anything is sealed or outstanding)
     */
    public PssstRequestId sendRequest(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src, "src");
        ensureOpen();
        checkTarget(target);
        checkLength(src.remaining());
        return sender.sendRequest(src, target);
    }

    /**
     * {@link #sendRequest(ByteBuffer, SocketAddress)} to the connected server.
     *
     * @param src the request's message
     * @return the request's id, or null as {@link #sendRequest(ByteBuffer, SocketAddress)} returns it
     * @throws IOException as {@link #sendRequest(ByteBuffer, SocketAddress)} throws it; {@link
     *         java.nio.channels.NotYetConnectedException} if the channel is not connected
     */
    public PssstRequestId sendRequest(ByteBuffer src) throws IOException {
        return sendRequest(src, remote());
    }

    // ---- calls -------------------------------------------------------------------------------

    /**
     * Sends {@code request} to {@code target} and waits for its reply, retransmitting as the
     * retry policy says, for at most {@code timeout}. Blocking mode only. Safe from virtual
     * threads: the caller parks, it never holds a monitor.
     *
     * @param request the request's message: its remaining bytes, consumed
     * @param target the server's address
     * @param timeout how long to wait for a valid reply, retransmissions included
     * @return the reply message, in a new heap buffer (position 0, limit its length)
     * @throws PssstTimeoutException no valid reply within {@code timeout} (the channel stays open)
     * @throws PssstMessageTooLongException the request does not fit in one datagram
     * @throws IllegalBlockingModeException the channel is in non-blocking mode
     * @throws InterruptedIOException the thread was interrupted; the request is abandoned,
     *         the channel stays open (whenever the interrupt comes: this thread does no I/O)
     * @throws IllegalArgumentException if {@code timeout} is not positive; a refused
     *         {@code target} throws as {@link #sendRequest} does
     */
    public ByteBuffer call(ByteBuffer request, SocketAddress target, Duration timeout) throws IOException {
        ensureOpen();
        if (!isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        long timeoutNanos = positiveNanos(timeout);
        return sender.await(startCall(request, target, timeoutNanos, true), timeoutNanos, timeout);
    }

    /**
     * {@link #call(ByteBuffer, SocketAddress, Duration)} to the connected server.
     *
     * @param request the request's message
     * @param timeout how long to wait for a valid reply
     * @return the reply message, as {@link #call(ByteBuffer, SocketAddress, Duration)} returns it
     * @throws IOException as {@link #call(ByteBuffer, SocketAddress, Duration)} throws it; {@link
     *         java.nio.channels.NotYetConnectedException} if the channel is not connected
     */
    public ByteBuffer call(ByteBuffer request, Duration timeout) throws IOException {
        return call(request, remote(), timeout);
    }

    /**
     * Sends {@code request} to {@code target} and returns a future for its reply; the request
     * is sealed before this returns (the buffer is consumed and may be reused) and sent at
     * once from the timer thread. The future completes with the reply in a new heap buffer,
     * or fails with {@link PssstTimeoutException} (no reply within the retry policy's total
     * timeout), {@link PssstMessageTooLongException}, or the {@link IOException} that sending
     * or closing raised. Cancelling the future abandons the request.
     *
     * <p>Mistakes in the arguments are thrown, not put in the future: a null argument, and a
     * target refused as by {@link #sendRequest}.
     *
     * @param request the request's message: its remaining bytes, consumed
     * @param target the server's address
     * @return the future of the reply message
     */
    public CompletableFuture<ByteBuffer> callAsync(ByteBuffer request, SocketAddress target) {
        return callAsync(request, target, retry.totalTimeout());
    }

    /**
     * {@link #callAsync(ByteBuffer, SocketAddress)} with a deadline of {@code timeout} instead of the policy's total.
     *
     * @param request the request's message
     * @param target the server's address
     * @param timeout how long to wait for a valid reply (positive)
     * @return the future of the reply message
     */
    public CompletableFuture<ByteBuffer> callAsync(ByteBuffer request, SocketAddress target, Duration timeout) {
        long timeoutNanos = positiveNanos(timeout);
        try {
            ensureOpen();
            return startCall(request, target, timeoutNanos, false);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@link #callAsync(ByteBuffer, SocketAddress)} to the connected server.
     *
     * @param request the request's message
     * @return the future of the reply message; it fails with {@link
     *         java.nio.channels.NotYetConnectedException} if the channel is not connected
     */
    public CompletableFuture<ByteBuffer> callAsync(ByteBuffer request) {
        try {
            return callAsync(request, remote());
        } catch (IOException | NotYetConnectedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<ByteBuffer> startCall(ByteBuffer request, SocketAddress target, long timeoutNanos,
            boolean wait) throws IOException {
        Objects.requireNonNull(request, "request");
        checkTarget(target);
        checkLength(request.remaining());
        CompletableFuture<ByteBuffer> f = sender.call(request, target, clock.getAsLong() + timeoutNanos, wait);
        pump.ensureRunning();
        return f;
    }

    /** A call's timeout in nanoseconds; longer than about 73 years is taken as that (no limit, in practice). */
    private static long positiveNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return PssstRetryPolicy.nanos(timeout);
    }

    private SocketAddress remote() throws IOException {
        ensureOpen();
        SocketAddress r = inner.getRemoteAddress();
        if (r == null) {
            throw new NotYetConnectedException();
        }
        return r;
    }

    /** A change to blocking mode: the call pump reads the replies of outstanding calls now. */
    @Override
    void afterConfigureBlocking(boolean block) {
        if (block) {
            pump.ensureRunning();
        }
    }

    // ---- receiving ---------------------------------------------------------------------------

    @Override
    SocketAddress receiveInto(ByteBuffer dst, long timeoutMillis) throws IOException {
        rxLock.lock();
        try {
            Match m = receiver.receive(dst, timeoutMillis);
            return m == null ? null : m.sender();
        } finally {
            rxLock.unlock();
        }
    }

    /**
     * Receives the next reply to a plain or explicit request, decrypted into {@code dst},
     * saying which request it answers; or the next timeout of a request sent with
     * {@link #sendRequest} (then {@code dst} is untouched). Replies to {@code call}s are never
     * returned here. In blocking mode waits until one is ready, waking at least every 50 ms
     * to deliver timeouts (it reads through the JDK's socket adaptor, which costs one extra
     * copy of each datagram); in non-blocking mode returns null when none is ready.
     *
     * @param dst where a reply's message is written, at its position
     * @return the reply or the timeout; null in non-blocking mode when none is ready
     * @throws IllegalArgumentException if {@code dst} is read-only
     * @throws IOException if an I/O error occurs, as {@code receive} throws them
     */
    public PssstReply receiveReply(ByteBuffer dst) throws IOException {
        checkDst(dst);
        ensureOpen();
        rxLock.lock();
        try {
            for (int examined = 1;; examined++) {
                TimedOut t = requests.pollEvent();
                if (t != null) {
                    return PssstReply.timeout(t.id(), t.attempts(), t.evicted());
                }
                boolean blocking = isBlocking();
                Datagram d = nextDatagram(blocking ? REPLY_SLICE_MILLIS : -1);
                if (d == null) {
                    if (blocking) {
                        continue;
                    }
                    return null;
                }
                int start = dst.position();
                Match m = intake.accept(d, dst);
                if (m != null) {
                    PssstRequestId id = m.id() != null ? m.id() : new PssstRequestId(m.tx().requestId());
                    return PssstReply.reply(id, m.sender(), dst.position() - start);
                }
                if (!blocking && examined >= ReceiveLoop.NONBLOCKING_DRAIN) {
                    return null;
                }
            }
        } finally {
            rxLock.unlock();
        }
    }

    /** A reply the call pump handed off first, else the socket; drops expired plain requests first. rxLock held. */
    private Datagram nextDatagram(long timeoutMillis) throws IOException {
        requests.expirePlain(clock.getAsLong());
        Datagram handedOff = intake.pollHandoff();
        return handedOff != null ? handedOff : io.read(timeoutMillis);
    }

    /** Fails every outstanding request and call, and wipes the session's static secret: the channel closed. */
    @Override
    void afterClose() {
        requests.closeAll(new AsynchronousCloseException());
        intake.clearHandoffs();
        session.close();
    }

    @Override
    String describeRole() {
        return isAuthenticated() ? "authenticated" : "anonymous";
    }

    /**
     * Options of a client channel; {@link #open()} opens a new UDP socket, {@link #wrap}
     * adopts an existing one. Not thread-safe; each build uses the values set so far.
     */
    public static final class Builder extends ChannelBuilder<Builder, PssstClientChannel> {
        private final XECPublicKey serverKey;
        private XECPrivateKey clientKey;
        private SecureRandom random = new SecureRandom();
        private PssstRetryPolicy retry = PssstRetryPolicy.defaults();
        private int maxOutstanding = 1024;

        private Builder(XECPublicKey serverKey) throws InvalidKeyMaterialException {
            ClientSession.anonymous(serverKey); // checks the key now; each channel makes its own session
            this.serverKey = serverKey;
        }

        /**
         * Authenticate every request with this key. Each channel opened computes X25519(c, S)
         * once, when it opens, and wipes it when it closes; the builder keeps only the
         * reference to {@code clientKey}.
         *
         * @param clientKey the client's private key
         * @return this builder
         * @throws InvalidKeyMaterialException if {@code clientKey} is not a usable X25519 private key
         */
        public Builder clientKey(XECPrivateKey clientKey) throws InvalidKeyMaterialException {
            ClientSession.checkClientKey(clientKey);
            this.clientKey = clientKey;
            return this;
        }

        /**
         * The source of ephemeral keys (default: a new {@link SecureRandom}); must be cryptographically strong.
         *
         * @param random the source
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Retransmission and timeouts (default {@link PssstRetryPolicy#defaults()}).
         *
         * @param retry the policy
         * @return this builder
         */
        public Builder retryPolicy(PssstRetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * The most requests waiting for a reply at once (default 1024; 1 to 65,536).
         *
         * @param max the bound
         * @return this builder
         */
        public Builder maxOutstandingRequests(int max) {
            if (max < 1 || max > 65_536) {
                throw new IllegalArgumentException("maxOutstandingRequests must be 1 to 65536: " + max);
            }
            this.maxOutstanding = max;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        PssstClientChannel create(DatagramChannel inner) throws IOException {
            ClientSession session;
            try {
                session = clientKey == null ? ClientSession.anonymous(serverKey, x25519())
                        : ClientSession.authenticated(serverKey, clientKey, x25519());
            } catch (InvalidKeyMaterialException e) {
                throw new IOException("the X25519 provider refused the client key", e); // checked in clientKey()
            }
            return new PssstClientChannel(inner, this, session);
        }
    }
}
