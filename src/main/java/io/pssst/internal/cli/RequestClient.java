package io.pssst.internal.cli;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.internal.Wire;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A blocking PSSST client on one UDP socket: a request, its retransmissions, and its one reply. */
final class RequestClient implements Closeable {
    private final PssstClient client;
    private final InetSocketAddress server;
    private final DatagramSocket socket;
    private final byte[] buffer = new byte[Wire.MAX_DATAGRAM];
    private long refusedReplies;

    RequestClient(PssstClient client, InetSocketAddress server) throws IOException {
        this.client = client;
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(server.getAddress().isLoopbackAddress()
                ? server.getAddress() : null, 0));
    }

    /** Thrown when no valid reply came in time. */
    static final class TimeoutException extends Exception {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code message} and returns the reply, sending the same datagram again up to
     * {@code retries} times when {@code timeoutMillis} pass without a valid reply.
     */
    byte[] call(byte[] message, int timeoutMillis, int retries) throws IOException, PssstException, TimeoutException {
        PackedRequest request = client.pack(message);
        DatagramPacket out = new DatagramPacket(request.datagram(), request.datagram().length, server);
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        for (int attempt = 0; attempt <= retries; attempt++) {
            socket.send(out);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            long left;
            while ((left = (deadline - System.nanoTime()) / 1_000_000L) > 0) {
                socket.setSoTimeout((int) left);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    break;
                }
                try {
                    return request.openReply(Arrays.copyOf(in.getData(), in.getLength()));
                } catch (PssstException e) {
                    refusedReplies++;
                }
            }
        }
        request.replyOpener().destroy();
        throw new TimeoutException("no reply from " + HostPort.format(server) + " after " + (retries + 1)
                + " attempt" + (retries == 0 ? "" : "s") + " of " + timeoutMillis + " ms");
    }

    long refusedReplies() {
        return refusedReplies;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        socket.close();
    }
}
