package io.pssst.channel;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of a PSSST channel's counters, from {@link PssstDatagramChannel#stats()}.
 * Counters only grow; subtract two snapshots to measure an interval. Client-only counters stay
 * zero on a server channel and the other way round.
 *
 * <p>Every datagram a channel receives is either delivered (a request accepted, a reply
 * accepted) or dropped with exactly one {@link DropReason}: nothing is dropped silently.
 */
public final class PssstChannelStats {

    /** Why a received datagram was dropped instead of delivered. */
    public enum DropReason {
        /** Shorter than 52 bytes, or a client-auth payload shorter than the 64-byte proof (protocol "malformed"). */
        MALFORMED,
        /** A reply sent to a server, or a request sent to a client ("not-request" / "not-reply"). */
        WRONG_DIRECTION,
        /** A cipher suite other than 1. */
        UNSUPPORTED_SUITE,
        /** A low-order {@code dh_param} (protocol "invalid-key"). */
        INVALID_KEY,
        /** The AES-GCM tag did not verify: tampered, truncated, or sealed for another key. */
        DECRYPT_FAILED,
        /** The client-authentication proof did not match. */
        CLIENT_AUTH_FAILED,
        /** Valid, but the server's {@link PssstClientPolicy} refuses the client. */
        POLICY_REFUSED,
        /** A reply that answers no request this client has outstanding or recently had. */
        UNMATCHED_REPLY,
        /** A second reply (a copy, or a replay) to a request already answered. */
        DUPLICATE_REPLY,
        /** A reply to a request that this client already gave up (timed out, expired or evicted). */
        LATE_REPLY,
        /** A reply read by the call pump for a plain receive, when its hand-off queue was full. */
        HANDOFF_OVERFLOW,
        /**
         * Server: a datagram from a source no reply can be sent to (port 0; a wildcard,
         * multicast or broadcast address): a spoofed source. Dropped before any cryptography.
         */
        UNANSWERABLE_SOURCE,
        /**
         * Server: a datagram from a source (address or prefix) that sent more than the
         * channel's per-source rate limit allows
         * ({@link PssstServerChannel.Builder#rateLimit(long)}), valid or not. Dropped before
         * any cryptography.
         */
        RATE_LIMITED
    }

    /**
     * The counts a snapshot is made of, filled by the channel that takes it. A plain holder,
     * never shared: the snapshot keeps its own.
     */
    static final class Counts {
        long datagramsReceived;
        long datagramsSent;
        long requestsSent;
        long retransmissions;
        long repliesAccepted;
        long requestsTimedOut;
        long requestsEvicted;
        long requestsExpired;
        long requestsAccepted;
        long repliesSent;
        long contextsExpired;
        long contextsEvicted;
        long truncated;
        long sendFailures;
        long replySendFailures;
        /** Server: the keys held (hex public keys, current first) and requests opened per key; the snapshot's own. */
        List<String> serverKeys = List.of();
        Map<String, Long> openedByKey = Map.of();
        long repliesRefusedAmplification;
    }

    private final Counts counts;
    private final long[] drops;

    /** {@code drops}: indexed by {@link DropReason#ordinal()}; both are the snapshot's own. */
    PssstChannelStats(Counts counts, long[] drops) {
        this.counts = counts;
        this.drops = drops;
    }

    /** {@return datagrams read from the socket, valid or not} */
    public long datagramsReceived() {
        return counts.datagramsReceived;
    }

    /** {@return datagrams handed to the socket, retransmissions included} */
    public long datagramsSent() {
        return counts.datagramsSent;
    }

    /** {@return requests sent (each counted once, however often retransmitted)} (Client channels only.) */
    public long requestsSent() {
        return counts.requestsSent;
    }

    /** {@return retransmitted copies of requests} (Client channels only.) */
    public long retransmissions() {
        return counts.retransmissions;
    }

    /**
     * {@return replies accepted (decrypted and matched to an outstanding request)} (Client
     * channels only.)
     */
    public long repliesAccepted() {
        return counts.repliesAccepted;
    }

    /**
     * {@return requests of {@code call}, {@code callAsync} or {@code sendRequest} that timed out}
     * (Client channels only.)
     */
    public long requestsTimedOut() {
        return counts.requestsTimedOut;
    }

    /**
     * {@return requests abandoned to keep within the bound on outstanding requests} (Client
     * channels only.)
     */
    public long requestsEvicted() {
        return counts.requestsEvicted;
    }

    /**
     * {@return plain {@code send}/{@code write} requests whose reply did not come within the retry
     * policy's total timeout} (Client channels only.)
     */
    public long requestsExpired() {
        return counts.requestsExpired;
    }

    /**
     * {@return requests accepted (decrypted, authenticated as required, allowed by the policy)}
     * (Server channels only.)
     */
    public long requestsAccepted() {
        return counts.requestsAccepted;
    }

    /** {@return replies sent} (Server channels only.) */
    public long repliesSent() {
        return counts.repliesSent;
    }

    /**
     * {@return reply contexts dropped unanswered because they grew older than the reply-context
     * timeout} (Server channels only.)
     */
    public long replyContextsExpired() {
        return counts.contextsExpired;
    }

    /**
     * {@return reply contexts dropped unanswered because more than the bound were pending (oldest
     * first)} (Server channels only.)
     */
    public long replyContextsEvicted() {
        return counts.contextsEvicted;
    }

    /**
     * {@return messages delivered cut short because the caller's buffer was too small (as the
     * JDK's receive does)}
     */
    public long truncated() {
        return counts.truncated;
    }

    /**
     * Client: copies of a call's request, and retransmissions, that the socket refused (an
     * I/O error on a retransmission, or no room in non-blocking mode); the retransmissions
     * carry on. An I/O error on a call's first copy fails the call instead.
     *
     * @return the count
     */
    public long sendFailures() {
        return counts.sendFailures;
    }

    /**
     * Server: replies sealed but refused by the network stack for their destination (e.g.
     * unreachable, or not permitted): each is dropped like a datagram lost on the way, its
     * reply context wiped; the channel carries on.
     *
     * @return the count
     */
    public long replySendFailures() {
        return counts.replySendFailures;
    }

    /**
     * The public keys the server holds at the time of the snapshot, in lower-case hex (64
     * digits): its current key first, then its previous keys in the order given (a key
     * rotation; see {@link PssstServerChannel#setKeys}). Empty on a client channel.
     *
     * @return the keys (an unmodifiable list)
     */
    public List<String> serverKeys() {
        return counts.serverKeys;
    }

    /**
     * Requests opened (their tag verified) with each of the server's keys, by public key in
     * lower-case hex: how far clients have moved from an old key to a new one. The keys held
     * come first (the current one, then the previous ones), then keys this channel held earlier
     * and no longer does, with their final counts. A request opened and then refused by the
     * {@link PssstClientPolicy}'s allow-list counts here too (it used the key). Counts only
     * grow, and follow a key when it moves from current to previous. Empty on a client channel.
     *
     * @return hex public key to requests opened (an unmodifiable map, in the order above)
     */
    public Map<String, Long> requestsOpenedByKey() {
        return counts.openedByKey;
    }

    /**
     * Server: replies not sent because they were larger than the channel's amplification
     * bound allows ({@link PssstServerChannel.Builder#maxAmplification(int)}): each was
     * refused with {@link PssstAmplificationException} and its reply context wiped.
     *
     * @return the count
     */
    public long repliesRefusedAmplification() {
        return counts.repliesRefusedAmplification;
    }

    /**
     * Datagrams dropped for {@code reason}.
     *
     * @param reason why
     * @return the count
     */
    public long dropped(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** {@return datagrams dropped for any reason} */
    public long droppedTotal() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    /** {@return the non-zero drop counts by reason (an unmodifiable copy)} */
    public Map<DropReason, Long> drops() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (drops[r.ordinal()] != 0) {
                m.put(r, drops[r.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Every counter of this snapshot but the drops, by the name of its accessor
     * ({@code "datagramsReceived"}, {@code "repliesSent"}...), zeros included, in the order of
     * this class: what a monitoring bridge needs to export them all without naming each (the
     * channel's MXBean is built from it). Drops are {@link #dropped(DropReason)} for each
     * {@link DropReason}.
     *
     * @return the counters (an unmodifiable copy, iterated in a fixed order)
     */
    public Map<String, Long> counters() {
        Counts c = counts;
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("datagramsReceived", c.datagramsReceived);
        m.put("datagramsSent", c.datagramsSent);
        m.put("requestsSent", c.requestsSent);
        m.put("retransmissions", c.retransmissions);
        m.put("repliesAccepted", c.repliesAccepted);
        m.put("requestsTimedOut", c.requestsTimedOut);
        m.put("requestsEvicted", c.requestsEvicted);
        m.put("requestsExpired", c.requestsExpired);
        m.put("requestsAccepted", c.requestsAccepted);
        m.put("repliesSent", c.repliesSent);
        m.put("replyContextsExpired", c.contextsExpired);
        m.put("replyContextsEvicted", c.contextsEvicted);
        m.put("truncated", c.truncated);
        m.put("sendFailures", c.sendFailures);
        m.put("replySendFailures", c.replySendFailures);
        m.put("repliesRefusedAmplification", c.repliesRefusedAmplification);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The non-zero counters, by name as in {@link #counters()}, then a server's requests opened
     * per key (if any), then the drops by reason.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PssstChannelStats[");
        counters().forEach((name, count) -> {
            if (count != 0) {
                sb.append(name).append('=').append(count).append(", ");
            }
        });
        if (!counts.openedByKey.isEmpty()) {
            sb.append("requestsOpenedByKey=").append(counts.openedByKey).append(", ");
        }
        return sb.append("dropped=").append(drops()).append(']').toString();
    }
}
