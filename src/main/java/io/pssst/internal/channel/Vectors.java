package io.pssst.internal.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scattering reads and gathering writes of one channel: one message is one datagram, so a
 * vector of buffers is joined into one message before it is sealed, and a message received is
 * split over the vector in order. The copies go through heap buffers of this object, made on
 * first use and wiped after every use (they hold plaintext).
 */
public final class Vectors {
    /** Receives one message into {@code dst}; false when nothing was ready. */
    @FunctionalInterface
    public interface Receive {
        boolean into(ByteBuffer dst) throws IOException;
    }

    /** Sends {@code src}'s remaining bytes as one message; returns what {@code send} returns. */
    @FunctionalInterface
    public interface Send {
        int from(ByteBuffer src) throws IOException;
    }

    private ByteBuffer scatterScratch; // guarded by the channel's receive lock
    /** Guards gatherScratch: a gathering write holds it while it seals and sends. */
    private final ReentrantLock gatherLock = new ReentrantLock();
    private ByteBuffer gatherScratch;

    /**
     * Receives one message of at most {@code room} bytes and copies it over
     * {@code dsts[offset..offset+length)} in order; the caller holds the receive lock.
     *
     * @return the message's length, or 0 when nothing was ready
     */
    public long scatter(ByteBuffer[] dsts, int offset, int length, long room, Receive receive) throws IOException {
        if (scatterScratch == null) {
            scatterScratch = ByteBuffer.allocate(DatagramIo.BUFFER_CAPACITY);
        }
        ByteBuffer message = scatterScratch.clear();
        message.limit((int) Math.min(room, message.capacity()));
        if (!receive.into(message)) {
            return 0;
        }
        message.flip();
        int n = message.remaining();
        for (int i = offset; i < offset + length && message.hasRemaining(); i++) {
            int k = Math.min(dsts[i].remaining(), message.remaining());
            dsts[i].put(dsts[i].position(), message, message.position(), k).position(dsts[i].position() + k);
            message.position(message.position() + k);
        }
        Arrays.fill(message.array(), 0, n, (byte) 0);
        return n;
    }

    /**
     * Joins the remaining bytes of {@code srcs[offset..offset+length)}, {@code total} in all,
     * and sends them as one message; the sources are consumed only if it was sent.
     *
     * @return what {@code send} returned
     */
    public long gather(ByteBuffer[] srcs, int offset, int length, long total, Send send) throws IOException {
        gatherLock.lock();
        try {
            if (gatherScratch == null) {
                gatherScratch = ByteBuffer.allocate(DatagramIo.BUFFER_CAPACITY);
            }
            ByteBuffer message = gatherScratch.clear();
            for (int i = offset; i < offset + length; i++) {
                message.put(message.position(), srcs[i], srcs[i].position(), srcs[i].remaining());
                message.position(message.position() + srcs[i].remaining());
            }
            int n = send.from(message.flip());
            if (n > 0) {
                for (int i = offset; i < offset + length; i++) {
                    srcs[i].position(srcs[i].limit());
                }
            }
            return n;
        } finally {
            Arrays.fill(gatherScratch.array(), 0, (int) total, (byte) 0); // the plaintext, even if sending failed
            gatherLock.unlock();
        }
    }
}
