package io.pssst.internal.channel;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.internal.Bytes;
import io.pssst.internal.ServerSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keys a server channel opens requests with, which can be replaced while it runs (a key
 * rotation), and how many requests each key opened, by public key. A replacement is one
 * volatile write: each datagram is opened with the key set it read first, whole, so none sees
 * half of a change, and requests already opened keep their own transaction keys. Counts
 * follow the public key, not its place in the set: a key that goes from current to previous
 * keeps counting where it was, and one no longer held keeps its final count. Thread-safe.
 */
public final class ServerKeys {
    /** One key set: its session, and a counter per key (one counter per public key). */
    public static final class Generation {
        private final ServerSession session;
        private final AtomicLong[] opened;
        private final List<String> names;

        private Generation(ServerSession session, AtomicLong[] opened, List<String> names) {
            this.session = session;
            this.opened = opened;
            this.names = names;
        }

        /** The session that opens requests with this key set. */
        public ServerSession session() {
            return session;
        }

        /** Counts a request opened with key {@code keyIndex} of this set ({@code ServerTransaction.keyIndex()}). */
        public void opened(int keyIndex) {
            opened[keyIndex].incrementAndGet();
        }
    }

    /** Every key this channel has held, by hex public key, in the order first held. Guarded by {@code this}. */
    private final Map<String, AtomicLong> byKey = new LinkedHashMap<>();
    private volatile Generation current;

    /**
     * Keys starting with {@code session}'s.
     *
     * @throws InvalidKeyMaterialException if a public key cannot be computed (not for a key the session took)
     */
    public ServerKeys(ServerSession session) throws InvalidKeyMaterialException {
        set(session);
    }

    /** The key set to open the next datagram with. */
    public Generation current() {
        return current;
    }

    /**
     * Replaces the key set: datagrams opened from now on use {@code session}'s keys. Computes
     * each key's public key (one X25519 each, once per session).
     *
     * @throws InvalidKeyMaterialException if a public key cannot be computed (not for a key the session took)
     */
    public synchronized void set(ServerSession session) throws InvalidKeyMaterialException {
        int n = session.keyCount();
        AtomicLong[] counters = new AtomicLong[n];
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = Bytes.hex(session.publicKey(i));
            names.add(name);
            counters[i] = byKey.computeIfAbsent(name, k -> new AtomicLong());
        }
        current = new Generation(session, counters, Collections.unmodifiableList(names));
    }

    /** The public keys held now, in hex: the current key first, then the previous ones in order (duplicates kept). */
    public List<String> held() {
        return current.names;
    }

    /**
     * Requests opened per public key (hex), a copy: the keys held now first (current, then
     * previous), then keys no longer held, in the order they were first held.
     */
    public synchronized Map<String, Long> openedByKey() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String name : current.names) {
            m.putIfAbsent(name, byKey.get(name).get());
        }
        byKey.forEach((name, count) -> m.putIfAbsent(name, count.get()));
        return m;
    }
}
