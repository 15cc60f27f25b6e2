package io.pssst.channel;

import io.pssst.internal.channel.ChannelMBean;
import io.pssst.internal.channel.MBeanReadings;
import io.pssst.internal.channel.MXBeanRegistration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetBoundException;
import javax.management.ObjectName;

/**
 * The management face of {@link PssstDatagramChannel}: its statistics as an MXBean in the
 * platform MBean server, registered on request and unregistered when the channel closes.
 * Package-private: its public methods are the channel's. See docs/channel.md, "MXBean".
 */
abstract class ManagedDatagramChannel extends LayeredDatagramChannel {
    private final MXBeanRegistration mxbean = new MXBeanRegistration(
            this instanceof PssstServerChannel ? "ServerChannel" : "ClientChannel", this::newMBean);

    ManagedDatagramChannel(DatagramChannel inner) {
        super(inner);
    }

    /** {@return a snapshot of this channel's counters} */
    public abstract PssstChannelStats stats();

    /**
     * Registers this channel's statistics as an MXBean in the platform MBean server, named by
     * its local address: {@code io.pssst:type=ServerChannel,name="127.0.0.1:7667"} (or
     * {@code type=ClientChannel}; the address quoted, as {@code ObjectName} requires of a
     * value with a colon). If that name is taken (channels sharing a port through
     * {@code SO_REUSEPORT}), {@code ,instance=2}, {@code 3}... is added: the lowest free. Its
     * attributes are every counter of {@link #stats()}, one per drop reason, and the role's
     * gauge (docs/channel.md lists them), read afresh at each JMX read. It stays registered
     * until the channel closes, and keeps the channel reachable until then.
     *
     * @return the name it is registered under
     * @throws NotYetBoundException if the channel is not bound (bind it, or give a name)
     * @throws ClosedChannelException if the channel is closed; a close racing this call either
     *         unregisters the MXBean or makes this call throw, never leaves it registered
     * @throws IllegalStateException if this channel's MXBean is already registered
     * @throws IOException if the local address cannot be read
     */
    public final ObjectName registerMXBean() throws IOException {
        InetSocketAddress local = (InetSocketAddress) inner.getLocalAddress();
        if (local == null) {
            throw new NotYetBoundException();
        }
        return registerMXBean(MXBeanRegistration.nameOf(local));
    }

    /**
     * Registers this channel's statistics as an MXBean named {@code name}:
     * {@code io.pssst:type=ServerChannel,name=NAME} (or {@code type=ClientChannel}), the name
     * quoted as {@link ObjectName#quote} does when it holds {@code , = : " * ?} or a newline,
     * as it is otherwise; otherwise as {@link #registerMXBean()}, {@code instance=N} included.
     *
     * @param name the name: any non-empty text
     * @return the name it is registered under
     * @throws IllegalArgumentException if {@code name} is empty
     * @throws ClosedChannelException if the channel is closed
     * @throws IllegalStateException if this channel's MXBean is already registered
     */
    public final ObjectName registerMXBean(String name) throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        return mxbean.register(name);
    }

    /** Unregisters the MXBean: the channel closed. */
    @Override
    final void release() {
        mxbean.close();
    }

    private ChannelMBean newMBean() {
        String role = this instanceof PssstServerChannel ? "server" : "client";
        return new ChannelMBean(getClass().getName(), "A PSSST " + role + " channel's statistics (PssstChannelStats):"
                + " counters only grow; see docs/channel.md", this::readings);
    }

    /** The MXBean's attributes now: the stats, the role's gauge, and the channel's description. */
    private MBeanReadings readings() {
        PssstChannelStats stats = stats();
        MBeanReadings r = MBeanReadings.of(stats);
        if (this instanceof PssstServerChannel s) {
            r.gauge("PendingReplies", s.pendingReplies(), "Reply contexts held now (received, not yet answered)");
            r.table("RequestsOpenedByKey", stats.requestsOpenedByKey(),
                    "Requests opened with each server key, by hex public key (a key rotation's progress)");
            r.text("ServerKeys", String.join(",", stats.serverKeys()),
                    "The server's public keys held now, hex, the current one first");
        } else if (this instanceof PssstClientChannel c) {
            r.gauge("OutstandingRequests", c.outstandingRequests(), "Requests waiting for a reply now");
        }
        return r.text("Channel", toString(), "The channel: role, local address, policy (no key material)");
    }
}
