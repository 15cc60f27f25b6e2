package io.pssst.internal.channel;

import io.pssst.internal.channel.ChannelCounters.Counter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;

/**
 * Raw datagrams in and out of a PSSST channel's inner JDK channel: the only code that reads or
 * writes it. A read returns the datagram's bytes and sender as one {@link Datagram}; what the
 * bytes are is for the caller to decide. Blocking operations are bracketed by the outer
 * channel's {@code begin}/{@code end}, so closing or interrupting the outer channel ends them
 * as the JDK's own channel would; a close of the inner channel under us closes the outer one.
 *
 * <p>Reads need the channel's receive lock (one reader at a time: the buffers are reused);
 * writes may come from any thread.
 */
public final class DatagramIo {
    /** Capacity of the receive and seal buffers: more than any UDP payload. */
    public static final int BUFFER_CAPACITY = 65_536;

    /** What the outer channel lends for blocking I/O: its protected {@code begin}/{@code end}. */
    public interface Interruptible {
        void begin();

        void end(boolean completed) throws AsynchronousCloseException;
    }

    /** One received datagram: its bytes (position to limit) and its sender. Reused by the next read. */
    public static final class Datagram {
        private ByteBuffer data;
        private SocketAddress sender;

        Datagram set(ByteBuffer data, SocketAddress sender) {
            this.data = data;
            this.sender = sender;
            return this;
        }

        /** A datagram that owns a copy of its bytes (it outlives the read that found it). */
        static Datagram copyOf(Datagram d) {
            byte[] copy = new byte[d.data.remaining()];
            d.data.get(d.data.position(), copy);
            return new Datagram().set(ByteBuffer.wrap(copy), d.sender);
        }

        public ByteBuffer data() {
            return data;
        }

        public SocketAddress sender() {
            return sender;
        }
    }

    private final DatagramChannel inner;
    private final DatagramChannel outer;
    private final Interruptible guard;
    private final ChannelCounters counters;
    private final ByteBuffer rxDirect = ByteBuffer.allocateDirect(BUFFER_CAPACITY);
    private final Datagram received = new Datagram();
    // Timed receive (socket adaptor, call pump): lazily.
    private byte[] rxArray;
    private ByteBuffer rxHeap;
    private DatagramPacket rxPacket;

    public DatagramIo(DatagramChannel inner, DatagramChannel outer, Interruptible guard, ChannelCounters counters) {
        this.inner = inner;
        this.outer = outer;
        this.guard = guard;
        this.counters = counters;
    }

    /** The log of the channel this I/O is for. */
    public ChannelLog log() {
        return counters.log();
    }

    /**
     * Reads one raw datagram; the receive lock held.
     *
     * @param timeoutMillis negative: the channel's own mode (blocking, or non-blocking);
     *        otherwise a timed wait in blocking mode (0 = no limit)
     * @return the datagram, valid until the next read; or null: nothing ready (non-blocking)
     *         or timed out
     * @throws IllegalBlockingModeException a timed wait in non-blocking mode
     */
    public Datagram read(long timeoutMillis) throws IOException {
        Datagram d = timeoutMillis < 0 ? readNow() : readTimed(timeoutMillis);
        if (d != null) {
            counters.add(Counter.DATAGRAMS_RECEIVED);
        }
        return d;
    }

    private Datagram readNow() throws IOException {
        ByteBuffer b = rxDirect.clear();
        boolean blocking = outer.isBlocking();
        boolean done = false;
        ClosedChannelException closedUnder = null;
        SocketAddress sender;
        if (blocking) {
            guard.begin();
        }
        try {
            sender = inner.receive(b);
            done = sender != null;
        } catch (ClosedChannelException e) {
            closedUnder = e;
            throw followInner(e);
        } finally {
            if (blocking) {
                finish(done, closedUnder);
            }
        }
        return sender == null ? null : received.set(b.flip(), sender);
    }

    /** A timed receive through the JDK's socket adaptor: blocking mode only. */
    private Datagram readTimed(long timeoutMillis) throws IOException {
        if (!outer.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        if (rxPacket == null) {
            rxArray = new byte[BUFFER_CAPACITY];
            rxHeap = ByteBuffer.wrap(rxArray);
            rxPacket = new DatagramPacket(rxArray, rxArray.length);
        }
        rxPacket.setData(rxArray);
        DatagramSocket s = inner.socket();
        boolean done = false;
        ClosedChannelException closedUnder = null;
        guard.begin();
        try {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
            s.receive(rxPacket);
            done = true;
        } catch (SocketTimeoutException e) {
            return null;
        } catch (ClosedChannelException e) {
            closedUnder = e;
            throw followInner(e);
        } catch (SocketException e) {
            if (!inner.isOpen()) {
                closedUnder = new ClosedChannelException();
                closedUnder.initCause(e);
                throw followInner(closedUnder);
            }
            throw e;
        } finally {
            finish(done, closedUnder);
        }
        rxHeap.clear().limit(rxPacket.getLength());
        return received.set(rxHeap, rxPacket.getSocketAddress());
    }

    /** Whether the PSSST channel is open (false from the moment {@code close()} begins). */
    public boolean isOpen() {
        return outer.isOpen();
    }

    /** Sends one raw datagram: returns what the inner channel returns (0: no room, non-blocking). */
    public int send(ByteBuffer datagram, SocketAddress target) throws IOException {
        boolean blocking = outer.isBlocking();
        boolean done = false;
        ClosedChannelException closedUnder = null;
        int n;
        if (blocking) {
            guard.begin();
        }
        try {
            n = inner.send(datagram, target);
            done = n > 0;
        } catch (ClosedChannelException e) {
            closedUnder = e;
            throw followInner(e);
        } finally {
            if (blocking) {
                finish(done, closedUnder);
            }
        }
        if (n > 0) {
            counters.add(Counter.DATAGRAMS_SENT);
        }
        return n;
    }

    /**
     * Ends a blocking operation. When the inner channel reported a close that happened during
     * its I/O ({@code ClosedByInterruptException}, {@code AsynchronousCloseException}), that
     * exception stands; otherwise ours does, so a close that lands between our {@code begin}
     * and the inner channel's read is an {@code AsynchronousCloseException}, as the JDK's.
     */
    private void finish(boolean done, ClosedChannelException closedUnder) throws AsynchronousCloseException {
        try {
            guard.end(done);
        } catch (AsynchronousCloseException e) {
            if (!(closedUnder instanceof AsynchronousCloseException)) {
                throw e;
            }
        }
    }

    /**
     * The inner channel was closed under us (an interrupt closes the channel whose I/O was
     * interrupted, which is the inner one): close the outer one too, as the JDK's would be.
     */
    private ClosedChannelException followInner(ClosedChannelException e) {
        if (!inner.isOpen() && outer.isOpen()) {
            try {
                outer.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
        }
        return e;
    }
}
