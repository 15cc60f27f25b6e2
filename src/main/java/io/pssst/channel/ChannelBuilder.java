package io.pssst.channel;

import io.pssst.PssstX25519;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.function.LongSupplier;

/** What the client and server builders share: the socket, and the clock (a test hook). */
abstract class ChannelBuilder<B extends ChannelBuilder<B, C>, C extends PssstDatagramChannel> {
    private ProtocolFamily family;
    private PssstX25519 x25519;
    LongSupplier clock = System::nanoTime;

    ChannelBuilder() {
    }

    abstract B self();

    abstract C create(DatagramChannel inner) throws IOException;

    /**
     * The protocol family of the socket {@link #open()} creates (default: the JDK's).
     *
     * @param family the protocol family, e.g. {@code StandardProtocolFamily.INET6}
     * @return this builder
     */
    public B protocolFamily(ProtocolFamily family) {
        this.family = Objects.requireNonNull(family, "family");
        return self();
    }

    /**
     * The X25519 implementation the channels this builder opens use (default:
     * {@link PssstX25519#configured()}, the system property's choice, the JDK's unless it says
     * otherwise).
     *
     * @param x25519 the implementation
     * @return this builder
     */
    public B x25519(PssstX25519 x25519) {
        this.x25519 = Objects.requireNonNull(x25519, "x25519");
        return self();
    }

    /** The implementation set, else the configured one. */
    PssstX25519 x25519() {
        return x25519 != null ? x25519 : PssstX25519.configured();
    }

    /** Test hook: the clock for deadlines and ages (nanoseconds, like {@link System#nanoTime()}). */
    B clock(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock);
        return self();
    }

    /**
     * Opens a new, unbound UDP socket, in blocking mode.
     *
     * @return the channel, which owns its new socket
     * @throws IOException if the socket cannot be opened
     */
    public C open() throws IOException {
        DatagramChannel ch = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        try {
            return create(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Adopts {@code channel} (bound, say, with {@code SO_REUSEPORT}), which the PSSST channel
     * then owns: it keeps its binding, connection, options and blocking mode; closing the
     * PSSST channel closes it; it must not be used directly any more.
     *
     * @param channel an open JDK datagram channel, not registered with any selector
     * @return the PSSST channel over {@code channel}
     * @throws IllegalArgumentException if it is registered with a selector (that selector
     *         would see undecrypted datagrams) or is already a PSSST channel
     * @throws java.nio.channels.ClosedChannelException if it is closed
     */
    public C wrap(DatagramChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel to wrap");
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (channel instanceof PssstDatagramChannel) {
            throw new IllegalArgumentException("the channel is already a PSSST channel");
        }
        if (channel.isRegistered()) {
            throw new IllegalArgumentException("the channel is registered with a selector, which would see"
                    + " undecrypted datagrams; cancel its keys and register the PSSST channel instead");
        }
        C c = create(channel);
        if (!channel.isBlocking()) {
            c.configureBlocking(false); // the PSSST channel takes the wrapped channel's mode
        }
        return c;
    }
}
