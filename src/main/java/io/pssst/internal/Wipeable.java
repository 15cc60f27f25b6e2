package io.pssst.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Key material that is wiped when it is destroyed, but never while a thread is using it.
 *
 * <p>A small state machine in one atomic word: <em>live</em> with n users (n &ge; 0), then
 * <em>destroy pending</em> with n users, then <em>wiped</em>. {@link #enter()} admits a user
 * only while live; {@link #destroy()} wipes at once if nobody is using the material, and
 * otherwise leaves the wiping to the last user, in its {@link #exit()}. So a step that uses
 * the material runs with it whole, or is refused before it starts: it can never run with
 * material that another thread is wiping (a reply sealed under an all-zero key, say). The
 * wipe runs exactly once. No lock; {@code enter}/{@code exit} are one atomic update each.
 */
abstract class Wipeable {
    private static final int DESTROYED = 1 << 30;
    private static final int USERS = DESTROYED - 1;

    private final AtomicInteger state = new AtomicInteger();

    /** Overwrites the material. Runs once, on the thread that destroys or last uses it. */
    protected abstract void wipe();

    /**
     * Starts a use of the material; every {@code true} must be matched by one {@link #exit()}.
     *
     * @return false if it has been destroyed (the use must not happen)
     */
    final boolean enter() {
        while (true) {
            int s = state.get();
            if ((s & DESTROYED) != 0) {
                return false;
            }
            if ((s & USERS) == USERS) {
                throw new IllegalStateException("too many concurrent users of one key");
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** Ends a use; the last user out of destroyed material wipes it. */
    final void exit() {
        if (state.decrementAndGet() == DESTROYED) {
            wipe();
        }
    }

    /** Destroys the material: wipes it now if unused, else when its last user exits. Idempotent. */
    final void destroy() {
        if (state.getAndUpdate(s -> s | DESTROYED) == 0) {
            wipe();
        }
    }

    /** Whether {@link #destroy()} has been called (the material may still be in use). */
    final boolean destroyed() {
        return (state.get() & DESTROYED) != 0;
    }
}
