package io.pssst.channel;

import io.pssst.PssstKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.concurrent.atomic.AtomicBoolean;

/** Shared fixtures for channel tests: keys, loopback addresses, and a small reversing server loop. */
final class Loopback {
    static final KeyPair SERVER = PssstKeys.generateKeyPair();
    static final KeyPair CLIENT = PssstKeys.generateKeyPair();

    private Loopback() {
    }

    static XECPublicKey serverPublic() {
        return (XECPublicKey) SERVER.getPublic();
    }

    static XECPrivateKey serverPrivate() {
        return (XECPrivateKey) SERVER.getPrivate();
    }

    static XECPrivateKey clientPrivate() {
        return (XECPrivateKey) CLIENT.getPrivate();
    }

    static XECPublicKey clientPublic() {
        return (XECPublicKey) CLIENT.getPublic();
    }

    /** "127.0.0.1" or "::1", port 0. */
    static InetSocketAddress any(String host) {
        return new InetSocketAddress(host, 0);
    }

    static StandardProtocolFamily family(String host) {
        return host.contains(":") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String string(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    /** A server channel bound on loopback that answers each request with its bytes reversed, on a daemon thread. */
    static final class ReversingServer implements AutoCloseable {
        final PssstServerChannel channel;
        final SocketAddress address;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        ReversingServer(PssstServerChannel channel, String host) throws IOException {
            this.channel = channel;
            channel.bind(any(host));
            this.address = channel.getLocalAddress();
            this.thread = new Thread(this::loop, "reversing-server");
            thread.setDaemon(true);
            thread.start();
        }

        ReversingServer(String host) throws Exception {
            this(PssstServerChannel.builder(serverPrivate()).protocolFamily(family(host)).open(), host);
        }

        private void loop() {
            ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
            while (!stop.get()) {
                try {
                    buf.clear();
                    SocketAddress from = channel.receive(buf);
                    buf.flip();
                    byte[] a = new byte[buf.remaining()];
                    buf.get(a);
                    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
                        byte t = a[i];
                        a[i] = a[j];
                        a[j] = t;
                    }
                    channel.send(ByteBuffer.wrap(a), from);
                } catch (IOException e) {
                    if (!channel.isOpen()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            stop.set(true);
            channel.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
