package io.pssst.internal.channel;

import java.nio.ByteBuffer;

/**
 * Scattering reads and gathering writes of a datagram channel: one message is one datagram,
 * so a vector of buffers is joined into one message before it is sealed, and a message
 * received is split over the vector in order.
 */
public final class Vectors {
    private Vectors() {
    }

    /**
     * Copies {@code message} (position to limit) over {@code dsts[offset..offset+length)} in
     * order, as far as they have room, then wipes the message's bytes in {@code message},
     * a heap buffer. Returns the message's length.
     */
    public static int scatter(ByteBuffer message, ByteBuffer[] dsts, int offset, int length) {
        int n = message.remaining();
        int start = message.position();
        for (int i = offset; i < offset + length && message.hasRemaining(); i++) {
            int k = Math.min(dsts[i].remaining(), message.remaining());
            dsts[i].put(dsts[i].position(), message, message.position(), k).position(dsts[i].position() + k);
            message.position(message.position() + k);
        }
        java.util.Arrays.fill(message.array(), message.arrayOffset() + start, message.arrayOffset() + start + n, (byte) 0);
        return n;
    }

    /** Joins the remaining bytes of {@code srcs[offset..offset+length)} into {@code into}, flipped; the sources do not move. */
    public static ByteBuffer gather(ByteBuffer[] srcs, int offset, int length, ByteBuffer into) {
        for (int i = offset; i < offset + length; i++) {
            into.put(into.position(), srcs[i], srcs[i].position(), srcs[i].remaining());
            into.position(into.position() + srcs[i].remaining());
        }
        return into.flip();
    }

    /** Marks every source as consumed: the gathered message was sent. */
    public static void consume(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            srcs[i].position(srcs[i].limit());
        }
    }
}
