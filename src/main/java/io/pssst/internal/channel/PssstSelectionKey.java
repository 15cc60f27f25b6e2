package io.pssst.internal.channel;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;
import java.nio.channels.spi.AbstractSelector;

/**
 * A key of a {@code PssstSelector}: the registration of the channel the user registered (a
 * PSSST channel or an ordinary JDK channel), backed by one key of the platform selector (on
 * the PSSST channel's inner channel, or on the JDK channel itself) whose attachment is this
 * key.
 *
 * <p>{@link #channel()} is always the channel the user registered, never a PSSST channel's
 * inner channel, so a selector loop cannot read undecrypted datagrams by accident. The
 * platform key is never handed out.
 *
 * <p>Interest changes are written through to the platform key at once (they take effect at
 * the next selection, as the JDK specifies); the ready set is this key's own, maintained by
 * the selector. Thread-safety as the JDK's keys.
 */
public final class PssstSelectionKey extends AbstractSelectionKey {
    private final AbstractSelector selector;
    private final SelectableChannel channel;
    private final SelectionKey platformKey;
    private final Object interestLock = new Object();
    private volatile int interestOps;
    private volatile int readyOps;
    /** Number of the last selection that counted this key; guarded by the selector's lock. */
    private long lastCounted = -1;

    /** {@code selector}: the PSSST selector the key belongs to; {@code platformKey}'s attachment must be this key. */
    public PssstSelectionKey(AbstractSelector selector, SelectableChannel channel, SelectionKey platformKey) {
        this.selector = selector;
        this.channel = channel;
        this.platformKey = platformKey;
    }

    /** The channel the user registered (the PSSST channel, not its inner channel). */
    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public Selector selector() {
        if (!isValid()) {
            // AbstractSelectionKey.cancel() (Java 17 to 25) marks the key invalid and then
            // calls selector() to queue it: cancel the platform key now, not only at the next
            // selection, so the channel can at once be made blocking again, as with the JDK's
            // own keys. Idempotent; the selection's cancelled-key step remains the guarantee.
            platformKey.cancel();
        }
        return selector;
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    @Override
    public SelectionKey interestOps(int ops) {
        synchronized (interestLock) {
            setInterest(ops);
        }
        return this;
    }

    @Override
    public int interestOpsOr(int ops) {
        synchronized (interestLock) {
            ensureValid();
            checkOps(ops);
            int old = interestOps;
            setInterest(old | ops);
            return old;
        }
    }

    @Override
    public int interestOpsAnd(int ops) {
        synchronized (interestLock) {
            ensureValid();
            int old = interestOps;
            setInterest(old & ops);
            return old;
        }
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    @Override
    public String toString() {
        return "PssstSelectionKey[channel=" + channel + ", "
                + (isValid() ? "interestOps=" + interestOps + ", readyOps=" + readyOps : "invalid")
                + "]";
    }

    /** The platform key; for the selector only, never exposed. */
    public SelectionKey platformKey() {
        return platformKey;
    }

    /** Replaces the ready set (a selection that found the channel ready). */
    public void setReadyOps(int ops) {
        readyOps = ops;
    }

    /** Adds to the ready set; whether any operation was new. Selecting thread only. */
    public boolean addReadyOps(int ops) {
        int old = readyOps;
        readyOps = old | ops;
        return (ops & ~old) != 0;
    }

    /**
     * Counts this key once in selection number {@code selection}: true the first time, false
     * if it was already counted in it. Selecting thread only, under the selector's lock.
     */
    public boolean countIn(long selection) {
        if (lastCounted == selection) {
            return false;
        }
        lastCounted = selection;
        return true;
    }

    private void setInterest(int ops) {
        ensureValid();
        checkOps(ops);
        try {
            platformKey.interestOps(ops);
        } catch (CancelledKeyException e) {
            cancel();               // the platform key died with its channel: so does this one
            throw e;
        }
        interestOps = ops;
    }

    private void checkOps(int ops) {
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("Invalid interest ops " + ops + " for " + channel);
        }
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
    }
}
