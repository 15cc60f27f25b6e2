package io.pssst.fuzz;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * An inner channel for a PSSST channel under fuzzing: it hands out the datagrams queued on it,
 * in order, and records what is sent. No socket and no Mockito, so a fuzz run costs only the
 * PSSST channel's own work. When the queue is empty a non-blocking receive returns null (as
 * the JDK's does) and a blocking one throws {@link Exhausted}: the end of the input, which
 * ends any receive loop. Thread-safe (a client channel's timer thread may send).
 */
final class FakeDatagramChannel extends DatagramChannel {
    /** A blocking receive found the queue empty: the fuzz input is used up. */
    static final class Exhausted extends IOException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super("no more fuzzed datagrams");
        }
    }

    record Datagram(byte[] data, SocketAddress from) {
    }

    private final Deque<Datagram> queue = new ArrayDeque<>();
    private final List<Datagram> sent = new ArrayList<>();
    private int handedOut;
    private FakeSocket socket;

    FakeDatagramChannel(boolean blocking) throws IOException {
        super(SelectorProvider.provider());
        configureBlocking(blocking);
    }

    synchronized void queue(byte[] data, SocketAddress from) {
        queue.add(new Datagram(data.clone(), from));
    }

    /** How many datagrams a receive has taken. */
    synchronized int handedOut() {
        return handedOut;
    }

    synchronized boolean drained() {
        return queue.isEmpty();
    }

    /** What was sent so far (the datagram and its target), oldest first. */
    synchronized List<Datagram> sent() {
        return new ArrayList<>(sent);
    }

    private synchronized Datagram next() {
        Datagram d = queue.poll();
        if (d != null) {
            handedOut++;
        }
        return d;
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        Datagram d = next();
        if (d == null) {
            if (isBlocking()) {
                throw new Exhausted();
            }
            return null;
        }
        dst.put(d.data(), 0, Math.min(d.data().length, dst.remaining())); // truncated, as the JDK's
        return d.from();
    }

    @Override
    public synchronized int send(ByteBuffer src, SocketAddress target) {
        byte[] b = new byte[src.remaining()];
        src.get(b);
        sent.add(new Datagram(b, target));
        return b.length;
    }

    /** The socket adaptor, through which a PSSST channel makes timed receives. */
    @Override
    public synchronized DatagramSocket socket() {
        if (socket == null) {
            try {
                socket = new FakeSocket();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return socket;
    }

    /** Hands out the same queue as the channel; no timeout ever passes (an empty queue is {@link Exhausted}). */
    private final class FakeSocket extends DatagramSocket {
        FakeSocket() throws IOException {
            super((SocketAddress) null); // unbound: never sends or receives anything itself
        }

        @Override
        public void setSoTimeout(int timeout) {
            // timed receives never wait here
        }

        @Override
        public void receive(DatagramPacket p) throws IOException {
            Datagram d = next();
            if (d == null) {
                throw new Exhausted();
            }
            int n = Math.min(d.data().length, p.getData().length - p.getOffset());
            System.arraycopy(d.data(), 0, p.getData(), p.getOffset(), n);
            p.setLength(n);
            p.setSocketAddress(d.from());
        }
    }

    @Override
    protected synchronized void implCloseSelectableChannel() {
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // nothing to configure: receive reads the mode
    }

    // ---- the rest of DatagramChannel: unused by a receive path under test ------------------

    @Override
    public DatagramChannel bind(SocketAddress local) {
        return this;
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) {
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) {
        return null;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Set.of();
    }

    @Override
    public boolean isConnected() {
        return false;
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) {
        throw new UnsupportedOperationException("not under test");
    }

    @Override
    public DatagramChannel disconnect() {
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return null;
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new UnsupportedOperationException("not under test");
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw new UnsupportedOperationException("not under test");
    }

    @Override
    public int write(ByteBuffer src) {
        throw new UnsupportedOperationException("not under test");
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException("not under test");
    }

    @Override
    public SocketAddress getLocalAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 7667);
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("not under test");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw new UnsupportedOperationException("not under test");
    }
}
