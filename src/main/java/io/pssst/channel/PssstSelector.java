package io.pssst.channel;

import io.pssst.internal.channel.PssstSelectionKey;
import io.pssst.internal.channel.UngrowableSet;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A selector that accepts PSSST channels and ordinary JDK channels together, and behaves as
 * {@link Selector} documents: selection in three steps, {@code select(Consumer)}, wakeup,
 * interruption, the key and selected-key sets, cancellation and close.
 *
 * <p>It wraps one platform selector. A JDK channel is registered with the platform selector
 * directly; a PSSST channel's inner JDK channel is registered in its place (a PSSST channel is
 * ready exactly when its inner channel is). Either way this selector hands out its own keys,
 * whose {@link SelectionKey#channel() channel()} is the channel that was registered — for a
 * PSSST channel the PSSST channel, so {@code ((DatagramChannel) key.channel()).receive(dst)}
 * decrypts. The platform selector, its keys and the inner channels are never exposed.
 *
 * <p>Thread-safety as the JDK's selectors: registration, interest changes, cancellation,
 * {@link #wakeup()} and {@link #close()} may come from any thread while another selects;
 * none blocks on a selection in progress (registration and interest changes take effect at
 * the next selection). Selections synchronize on the selector, then on the selected-key set.
 * The key set is safe for concurrent use; the selected-key set is not.
 *
 * <p>A channel may be registered once, through one channel object: a second PSSST channel
 * over an inner channel that is already registered here is refused.
 */
public final class PssstSelector extends AbstractSelector {
    private static final Consumer<SelectionKey> IGNORE = k -> { };

    private final Selector platform;
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selectedKeys = new HashSet<>();
    private final Set<SelectionKey> publicSelectedKeys = new UngrowableSet<>(selectedKeys);
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private final AtomicInteger wakeups = new AtomicInteger();

    // Guarded by this (the selection lock).
    private boolean inSelect;
    private Consumer<SelectionKey> userAction;
    private long selection;
    private int updated;

    PssstSelector(PssstSelectorProvider provider, Selector platform) {
        super(provider);
        this.platform = platform;
    }

    /**
     * Opens a PSSST selector: {@code PssstSelectorProvider.provider().openSelector()}.
     *
     * @return the new selector
     * @throws IOException if the platform selector cannot be opened
     */
    public static PssstSelector open() throws IOException {
        return PssstSelectorProvider.provider().openSelector();
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelectedKeys;
    }

    @Override
    public int selectNow() throws IOException {
        return lockAndSelect(null, -1);
    }

    @Override
    public int select(long timeout) throws IOException {
        return lockAndSelect(null, checkTimeout(timeout));
    }

    @Override
    public int select() throws IOException {
        return lockAndSelect(null, 0);
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) throws IOException {
        Objects.requireNonNull(action, "action");
        return lockAndSelect(action, checkTimeout(timeout));
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException {
        return lockAndSelect(Objects.requireNonNull(action, "action"), 0);
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException {
        return lockAndSelect(Objects.requireNonNull(action, "action"), -1);
    }

    @Override
    public Selector wakeup() {
        wakeups.incrementAndGet();
        platform.wakeup();
        return this;
    }

    @Override
    protected void implCloseSelector() throws IOException {
        platform.wakeup();
        synchronized (this) {
            synchronized (publicSelectedKeys) {
                // Our keys first: when the platform selector then deregisters its keys, a
                // closed JDK channel is no longer registered anywhere and is released.
                for (SelectionKey key : keys) {
                    deregister((PssstSelectionKey) key);
                }
                keys.clear();
                selectedKeys.clear();
                Set<SelectionKey> cancelled = cancelledKeys();
                synchronized (cancelled) {
                    cancelled.clear();
                }
                platform.close();
            }
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        ensureOpen();
        SelectionKey platformKey = registerWithPlatform(ch);
        PssstSelectionKey key = new PssstSelectionKey(this, ch, platformKey);
        key.attach(att);
        platformKey.attach(key);
        keys.add(key);
        try {
            key.interestOps(ops);
        } catch (CancelledKeyException e) {
            // The channel was closed meanwhile: a cancelled key may be returned, as the JDK does.
        } catch (RuntimeException e) {              // e.g. ops the inner channel refuses
            keys.remove(key);
            platformKey.cancel();
            throw e;
        }
        if (!isOpen()) {                            // closed meanwhile: undo, as the JDK does
            keys.remove(key);
            key.cancel();
            throw new ClosedSelectorException();
        }
        return key;
    }

    private SelectionKey registerWithPlatform(AbstractSelectableChannel ch) {
        SelectableChannel target = ch instanceof LayeredDatagramChannel layered ? layered.inner() : ch;
        synchronized (target.blockingLock()) {
            SelectionKey existing = target.keyFor(platform);
            if (existing != null && existing.isValid()) {
                throw new IllegalArgumentException(
                        "this channel's I/O channel is already registered with the selector");
            }
            try {
                return target.register(platform, 0, null);
            } catch (ClosedChannelException e) {
                // A PSSST channel whose inner channel is closed: report it as the outer
                // channel's register(...) documents, although this SPI method cannot declare it.
                throw PssstSelector.<RuntimeException>sneaky(e);
            }
        }
    }

    private int lockAndSelect(Consumer<SelectionKey> action, long timeout) throws IOException {
        synchronized (this) {
            ensureOpen();
            if (inSelect) {
                throw new IllegalStateException("select in progress");
            }
            inSelect = true;
            try {
                synchronized (publicSelectedKeys) {
                    return doSelect(action, timeout);
                }
            } finally {
                inSelect = false;
                userAction = null;
            }
        }
    }

    /** One selection; {@code timeout}: -1 now, 0 forever, else milliseconds. */
    private int doSelect(Consumer<SelectionKey> action, long timeout) throws IOException {
        processCancelledKeys();                     // step 1
        userAction = action;
        updated = 0;
        selection++;
        int wakeupsBefore = wakeups.get();
        if (timeout < 0) {                          // step 2, through the platform selector
            platform.selectNow(dispatcher);
        } else {
            platform.select(dispatcher, timeout);
        }
        userAction = null;
        if (processCancelledKeys()) {               // step 3
            // The platform selector deregisters the keys just cancelled at its next selection;
            // do it now so that, as with the JDK, their channels can be registered again as
            // soon as this method returns. That selection also clears a pending wakeup: if one
            // may have come after the platform's select returned, re-arm it.
            platform.selectNow(IGNORE);
            if (wakeups.get() != wakeupsBefore) {
                platform.wakeup();
            }
        }
        return updated;
    }

    /** Called by the platform selector, under this selector's lock, for each ready key. */
    private void dispatch(SelectionKey platformKey) {
        if (!(platformKey.attachment() instanceof PssstSelectionKey key) || !key.isValid()) {
            return;     // being registered, or cancelled: steps 1 and 3 deal with it
        }
        int ready;
        try {
            ready = platformKey.readyOps();         // already within the interest set
        } catch (CancelledKeyException e) {
            return;     // its channel was closed meanwhile
        }
        Consumer<SelectionKey> action = userAction;
        if (action != null) {
            key.setReadyOps(ready);
            count(key);
            action.accept(key);
            ensureOpen();                           // the action may have closed the selector
        } else if (selectedKeys.contains(key)) {
            if (key.addReadyOps(ready)) {
                count(key);
            }
        } else {
            key.setReadyOps(ready);
            selectedKeys.add(key);
            count(key);
        }
    }

    private void count(PssstSelectionKey key) {
        if (key.countIn(selection)) {               // unique keys, even if reported twice
            updated++;
        }
    }

    /** Steps 1 and 3: removes cancelled keys; whether there were any. */
    private boolean processCancelledKeys() {
        Set<SelectionKey> cancelled = cancelledKeys();
        SelectionKey[] batch;
        synchronized (cancelled) {
            if (cancelled.isEmpty()) {
                return false;
            }
            batch = cancelled.toArray(new SelectionKey[0]);
            cancelled.clear();
        }
        for (SelectionKey k : batch) {
            PssstSelectionKey key = (PssstSelectionKey) k;
            key.platformKey().cancel();             // first: never leave a live platform key
            keys.remove(key);
            selectedKeys.remove(key);
            deregister(key);
        }
        return true;
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    private static long checkTimeout(long timeout) {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return timeout;
    }

    /** Throws a checked exception where the SPI signature cannot declare it. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
