package io.pssst.channel;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.Set;

/**
 * Test stand-in for {@code PssstDatagramChannel}: a {@link LayeredDatagramChannel} (its I/O
 * happens on an inner JDK datagram channel) whose "encryption" is XOR with {@link #MASK}.
 * Reading the inner channel directly yields scrambled bytes, so a test can tell whether a
 * selector loop read through the outer channel (plain text) or the inner one (scrambled).
 */
final class ScrambledDatagramChannel extends LayeredDatagramChannel {
    static final byte MASK = 0x5A;

    ScrambledDatagramChannel(DatagramChannel inner) {
        super(inner);
    }

    static ScrambledDatagramChannel openLoopback() throws IOException {
        DatagramChannel inner = DatagramChannel.open();
        inner.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ScrambledDatagramChannel ch = new ScrambledDatagramChannel(inner);
        ch.configureBlocking(false);
        return ch;
    }

    static ByteBuffer scramble(ByteBuffer src) {
        ByteBuffer out = ByteBuffer.allocate(src.remaining());
        while (src.hasRemaining()) {
            out.put((byte) (src.get() ^ MASK));
        }
        return out.flip();
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        ByteBuffer tmp = ByteBuffer.allocate(dst.remaining());
        SocketAddress from = inner.receive(tmp);
        if (from != null) {
            dst.put(scramble(tmp.flip()));
        }
        return from;
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        return inner.send(scramble(src), target);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ByteBuffer tmp = ByteBuffer.allocate(dst.remaining());
        int n = inner.read(tmp);
        if (n > 0) {
            dst.put(scramble(tmp.flip()));
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return inner.write(scramble(src));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        inner.bind(local);
        return this;
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        inner.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return inner.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return inner.supportedOptions();
    }

    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public boolean isConnected() {
        return inner.isConnected();
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        inner.connect(remote);
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        inner.disconnect();
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        return inner.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        return inner.getLocalAddress();
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface ni) {
        throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface ni, InetAddress source) {
        throw new UnsupportedOperationException("not needed by the tests");
    }
}
