package io.pssst.internal.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.util.Set;

/**
 * The {@link DatagramSocket} view of a {@code PssstDatagramChannel}, like the JDK's socket
 * adaptor: every call goes to the channel, so {@code send} seals and {@code receive}
 * decrypts — the socket never exposes raw datagrams. {@code send} and {@code receive} need
 * the channel in blocking mode ({@link IllegalBlockingModeException} otherwise);
 * {@code receive} honours {@link #setSoTimeout}.
 *
 * <p>One difference: {@code receive} uses the packet's current {@link DatagramPacket#getLength()
 * length} as its room (reset it with {@code setLength} before reusing a packet); the JDK's
 * adaptor can see the packet's original buffer length, a private field.
 */
public final class PssstDatagramSocket extends DatagramSocket {
    /** The channel's receive with a time limit, which {@code DatagramChannel} does not offer. */
    @FunctionalInterface
    public interface TimedReceive {
        /**
         * Receives the next valid datagram into {@code dst}, waiting at most
         * {@code timeoutMillis} (0: no limit) in blocking mode.
         *
         * @return its sender, or null if the wait timed out
         * @throws IllegalBlockingModeException if the channel is in non-blocking mode
         */
        SocketAddress receive(ByteBuffer dst, int timeoutMillis) throws IOException;
    }

    private final DatagramChannel channel;
    private final TimedReceive timedReceive;
    private volatile int timeout;

    /** The socket view of {@code channel}, a PSSST channel, whose timed receive is {@code timedReceive}. */
    public PssstDatagramSocket(DatagramChannel channel, TimedReceive timedReceive) {
        super(new NoImpl());
        this.channel = channel;
        this.timedReceive = timedReceive;
    }

    @Override
    public void bind(SocketAddress local) throws SocketException {
        try {
            channel.bind(local);
        } catch (IOException e) {
            throw socketException(e);
        }
    }

    @Override
    public void connect(InetAddress address, int port) {
        try {
            connect(new InetSocketAddress(address, port));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws SocketException {
        if (remote == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        try {
            channel.connect(remote);
        } catch (IOException e) {
            throw socketException(e);
        }
    }

    @Override
    public void disconnect() {
        try {
            channel.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isBound() {
        return getLocalSocketAddress() != null;
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public InetAddress getInetAddress() {
        SocketAddress r = getRemoteSocketAddress();
        return r == null ? null : ((InetSocketAddress) r).getAddress();
    }

    @Override
    public int getPort() {
        SocketAddress r = getRemoteSocketAddress();
        return r == null ? -1 : ((InetSocketAddress) r).getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public InetAddress getLocalAddress() {
        SocketAddress l = getLocalSocketAddress();
        return l == null ? null : ((InetSocketAddress) l).getAddress();
    }

    @Override
    public int getLocalPort() {
        if (isClosed()) {
            return -1;
        }
        SocketAddress l = getLocalSocketAddress();
        return l == null ? 0 : ((InetSocketAddress) l).getPort();
    }

    /** Seals the packet's data as a request (client) or the reply to the sender's oldest request (server). */
    @Override
    public void send(DatagramPacket p) throws IOException {
        if (!channel.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        ByteBuffer src;
        SocketAddress target;
        synchronized (p) { // no I/O inside: reading the packet's fields, as the JDK's adaptor does
            src = ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength());
            target = p.getAddress() == null ? null : p.getSocketAddress();
        }
        try {
            if (target == null) {
                if (!channel.isConnected()) {
                    throw new IllegalArgumentException("Address not set"); // as DatagramSocket.send specifies
                }
                channel.write(src);
            } else {
                if (channel.isConnected() && !target.equals(channel.getRemoteAddress())) {
                    throw new IllegalArgumentException("Connected and packet address differ");
                }
                channel.send(src, target);
            }
        } catch (ClosedChannelException e) {
            throw socketException(e);
        }
    }

    /** Receives the next valid datagram, decrypted into the packet, waiting at most the SO_TIMEOUT. */
    @Override
    public void receive(DatagramPacket p) throws IOException {
        ByteBuffer dst;
        synchronized (p) {
            dst = ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength());
        }
        SocketAddress sender;
        try {
            sender = timedReceive.receive(dst, timeout);
        } catch (ClosedChannelException e) {
            throw socketException(e);
        }
        if (sender == null) {
            throw new SocketTimeoutException("Receive timed out");
        }
        synchronized (p) {
            p.setLength(dst.position() - p.getOffset());
            p.setSocketAddress(sender);
        }
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        checkOpen();
        this.timeout = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        checkOpen();
        return timeout;
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("Invalid send size");
        }
        set(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("Invalid receive size");
        }
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return get(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setBroadcast(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_BROADCAST, on);
    }

    @Override
    public boolean getBroadcast() throws SocketException {
        return get(StandardSocketOptions.SO_BROADCAST);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        if (tc < 0 || tc > 255) {
            throw new IllegalArgumentException("tc is not in range 0 -- 255");
        }
        set(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return get(StandardSocketOptions.IP_TOS);
    }

    @Override
    public <T> DatagramSocket setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }

    /** Multicast through the socket view is not offered; use the channel's {@code join}. */
    @Override
    public void joinGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        throw new SocketException("use PssstDatagramChannel.join(group, interface) to join a multicast group");
    }

    @Override
    public void leaveGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        throw new SocketException("use the MembershipKey returned by PssstDatagramChannel.join to leave a group");
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // as the JDK's adaptor: close() does not throw
        }
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public DatagramChannel getChannel() {
        return channel;
    }

    private <T> void set(SocketOption<T> option, T value) throws SocketException {
        try {
            channel.setOption(option, value);
        } catch (IOException e) {
            throw socketException(e);
        }
    }

    private <T> T get(SocketOption<T> option) throws SocketException {
        try {
            return channel.getOption(option);
        } catch (IOException e) {
            throw socketException(e);
        }
    }

    private void checkOpen() throws SocketException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
    }

    private static SocketException socketException(IOException e) {
        if (e instanceof SocketException) {
            return (SocketException) e;
        }
        SocketException s = new SocketException(e instanceof ClosedChannelException ? "Socket is closed" : e.toString());
        s.initCause(e);
        return s;
    }

    /** The superclass needs an implementation object; every call is overridden above, so this one is never used. */
    @SuppressWarnings("deprecation")
    private static final class NoImpl extends DatagramSocketImpl {
        private static SocketException unused() {
            return new SocketException("not used by the PSSST socket adaptor");
        }

        @Override
        protected void create() throws SocketException {
            throw unused();
        }

        @Override
        protected void bind(int lport, InetAddress laddr) throws SocketException {
            throw unused();
        }

        @Override
        protected void send(DatagramPacket p) throws IOException {
            throw unused();
        }

        @Override
        protected int peek(InetAddress i) throws IOException {
            throw unused();
        }

        @Override
        protected int peekData(DatagramPacket p) throws IOException {
            throw unused();
        }

        @Override
        protected void receive(DatagramPacket p) throws IOException {
            throw unused();
        }

        @Override
        protected void setTTL(byte ttl) throws IOException {
            throw unused();
        }

        @Override
        protected byte getTTL() throws IOException {
            throw unused();
        }

        @Override
        protected void setTimeToLive(int ttl) throws IOException {
            throw unused();
        }

        @Override
        protected int getTimeToLive() throws IOException {
            throw unused();
        }

        @Override
        protected void join(InetAddress inetaddr) throws IOException {
            throw unused();
        }

        @Override
        protected void leave(InetAddress inetaddr) throws IOException {
            throw unused();
        }

        @Override
        protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
            throw unused();
        }

        @Override
        protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
            throw unused();
        }

        @Override
        protected void close() {
        }

        @Override
        public void setOption(int optID, Object value) throws SocketException {
            throw unused();
        }

        @Override
        public Object getOption(int optID) throws SocketException {
            throw unused();
        }
    }
}
