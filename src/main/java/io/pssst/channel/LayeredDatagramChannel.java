package io.pssst.channel;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.locks.Lock;

/**
 * A {@link DatagramChannel} layered over an inner JDK datagram channel that does its I/O:
 * the base of {@link PssstDatagramChannel}. {@link PssstSelector} registers the inner channel
 * with the platform selector in this channel's place and hands out keys whose
 * {@code channel()} is this (outer) channel.
 *
 * <p>Package-private on purpose: {@link #inner()} is the one way to the undecrypted bytes, and
 * only this package can call it, so no application code can read them, by accident or
 * otherwise. The contract the selector relies on is enforced here rather than documented for
 * subclasses to follow:
 * <ul>
 *   <li>the inner channel is fixed, non-null, for the channel's whole life;</li>
 *   <li>configuring the blocking mode configures the inner channel's (only a non-blocking
 *       inner channel can be registered);</li>
 *   <li>closing closes the inner channel, so its platform key is cancelled with it.</li>
 * </ul>
 * The outer channel is ready exactly when the inner one is: a datagram that turns out to be
 * invalid is dropped and counted by the outer channel, whose non-blocking {@code receive}
 * then returns {@code null}.
 */
abstract class LayeredDatagramChannel extends DatagramChannel {
    /** The JDK channel that does the I/O. */
    final DatagramChannel inner;

    LayeredDatagramChannel(DatagramChannel inner) {
        super(PssstSelectorProvider.provider());
        this.inner = Objects.requireNonNull(inner, "channel");
    }

    /** The JDK channel that does this channel's I/O; never exposed outside this package. */
    final DatagramChannel inner() {
        return inner;
    }

    /**
     * Closes the inner channel (waking any thread blocked on it), then forgets the channel's state
     * (keys wiped), then releases what it had outside itself (its MXBean).
     */
    @Override
    protected final void implCloseSelectableChannel() throws IOException {
        try {
            inner.close();
        } finally {
            try {
                afterClose();
            } finally {
                release();
            }
        }
    }

    /**
     * Puts the inner channel, which is what the selector registers, in the same mode. The
     * change waits for a receive in progress, so that no timed receive of ours is in
     * flight on the inner channel while its mode changes: the JDK's socket adaptor (through
     * which timed receives go) restores the socket to blocking when it finishes, and, racing
     * a switch to non-blocking, could leave a non-blocking channel on a blocking socket — the
     * next non-blocking receive would then hang.
     */
    @Override
    protected final void implConfigureBlocking(boolean block) throws IOException {
        Lock lock = receiveLock();
        if (lock != null) {
            lock.lock();
        }
        try {
            inner.configureBlocking(block);
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
        afterConfigureBlocking(block);
    }

    /** The lock our own receives hold while they use the inner channel, or null if none. */
    Lock receiveLock() {
        return null;
    }

    /** Called once, when the channel closes, after the inner channel was closed. */
    void afterClose() {
    }

    /** Called once, when the channel closes, after {@link #afterClose()} (even if it threw). */
    void release() {
    }

    /** Called after the blocking mode changed. */
    void afterConfigureBlocking(boolean block) {
    }
}
