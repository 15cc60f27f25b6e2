package io.pssst.internal.channel;

import io.pssst.channel.PssstChannelStats.DropReason;

/**
 * The last {@value #SIZE} requests a client finished, by the first 8 bytes of their ids: what
 * tells a reply that matches no outstanding request apart — a second copy of one already
 * answered, a reply to one given up, or one that answers nothing of ours. Not thread-safe: the
 * table's lock guards it.
 */
final class RecentIds {
    static final int SIZE = 256;
    private static final byte ANSWERED = 1;
    private static final byte ABANDONED = 2;

    private final long[] keys = new long[SIZE];
    private final byte[] kinds = new byte[SIZE];
    private int next;

    /** Remembers a finished request: {@code answered}, or given up. */
    void remember(long prefix, boolean answered) {
        keys[next] = prefix;
        kinds[next] = answered ? ANSWERED : ABANDONED;
        next = (next + 1) % SIZE;
    }

    /** Why a reply with this id prefix, which matched no outstanding request, is dropped. */
    DropReason classify(long prefix) {
        for (int i = 0; i < SIZE; i++) {
            if (kinds[i] != 0 && keys[i] == prefix) {
                return kinds[i] == ANSWERED ? DropReason.DUPLICATE_REPLY : DropReason.LATE_REPLY;
            }
        }
        return DropReason.UNMATCHED_REPLY;
    }
}
