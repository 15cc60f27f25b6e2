package io.pssst.internal.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.MembershipKey;
import java.nio.channels.MulticastChannel;

/** A multicast membership of the inner socket, seen through the PSSST channel ({@link #channel()}). */
public final class PssstMembershipKey extends MembershipKey {
    private final MulticastChannel channel;
    private final MembershipKey key;

    /** {@code key}: the inner socket's membership; {@code channel}: the PSSST channel it is seen through. */
    public PssstMembershipKey(MulticastChannel channel, MembershipKey key) {
        this.channel = channel;
        this.key = key;
    }

    @Override
    public boolean isValid() {
        return key.isValid();
    }

    @Override
    public void drop() {
        key.drop();
    }

    @Override
    public MembershipKey block(InetAddress source) throws IOException {
        key.block(source);
        return this;
    }

    @Override
    public MembershipKey unblock(InetAddress source) {
        key.unblock(source);
        return this;
    }

    /** The PSSST channel, never the inner one. */
    @Override
    public MulticastChannel channel() {
        return channel;
    }

    @Override
    public InetAddress group() {
        return key.group();
    }

    @Override
    public NetworkInterface networkInterface() {
        return key.networkInterface();
    }

    @Override
    public InetAddress sourceAddress() {
        return key.sourceAddress();
    }

    @Override
    public String toString() {
        return "PssstMembershipKey[" + key + "]";
    }
}
