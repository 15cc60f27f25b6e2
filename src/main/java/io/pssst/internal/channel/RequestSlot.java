package io.pssst.internal.channel;

import io.pssst.channel.PssstRequestId;
import io.pssst.internal.ClientTransaction;
import io.pssst.internal.channel.RequestTable.Kind;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A slot of a {@link RequestTable}: one outstanding request, reserved, then active (findable
 * by its reply) until it is answered or given up; then back in the pool for the next request.
 * A handle to it is the slot and its {@link #generation()}. The table's lock guards every field.
 */
public final class RequestSlot extends NodePool.Node<RequestSlot> {
    boolean active; // indexed and in a list (between reserve and activate it is neither)
    Kind kind;
    ClientTransaction tx;
    long prefix;
    SocketAddress target;
    ByteBuffer datagram;
    int attempts;
    long deadline;
    CompletableFuture<ByteBuffer> future;
    PssstRequestId id;
    Future<?> timer;

    RequestSlot(int number) {
        super(number);
    }

    /** The use of this slot that a handle refers to; see {@link RequestTable#isOutstanding}. */
    public long generation() {
        return generation;
    }

    /** How the request in this slot was sent. */
    public Kind kind() {
        return kind;
    }

    @Override
    void clear() {
        active = false;
        tx = null;
        target = null;
        datagram = null;
        future = null;
        id = null;
        timer = null;
    }
}
