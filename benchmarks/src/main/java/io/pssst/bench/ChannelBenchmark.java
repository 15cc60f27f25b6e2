package io.pssst.bench;

import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstServer;
import io.pssst.ReplyOpener;
import io.pssst.ReplySealer;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstDatagramChannel;
import io.pssst.channel.PssstServerChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request/reply round trip over IPv4 loopback on one thread, blocking mode: the client
 * sends a {@code size}-byte request, the server receives it and sends it back as the reply,
 * the client receives the reply. Buffers are direct and reused, as in docs/channel.md's
 * event loop.
 *
 * <ul>
 *   <li>{@code plainChannels}: two JDK {@code DatagramChannel}s, no cryptography (the baseline);
 *   <li>{@code engineOverPlainChannels}: the same JDK channels with the native API's
 *       ByteBuffer methods sealing and opening by hand (what a hand-written PSSST loop costs);
 *   <li>{@code pssstChannels}: {@code PssstClientChannel.send/receive} and
 *       {@code PssstServerChannel.receive/send}, anonymous.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ChannelBenchmark {
    @Param({"100", "1200"})
    int size;

    private ByteBuffer request;
    private final ByteBuffer serverBuf = ByteBuffer.allocateDirect(Fixtures.BUFFER);
    private final ByteBuffer clientBuf = ByteBuffer.allocateDirect(Fixtures.BUFFER);
    // For the hand-written loop: the datagrams on the wire.
    private final ByteBuffer clientTx = ByteBuffer.allocateDirect(Fixtures.BUFFER);
    private final ByteBuffer serverRx = ByteBuffer.allocateDirect(Fixtures.BUFFER);
    private final ByteBuffer serverTx = ByteBuffer.allocateDirect(Fixtures.BUFFER);
    private final ByteBuffer clientRx = ByteBuffer.allocateDirect(Fixtures.BUFFER);

    private DatagramChannel plainServer;
    private DatagramChannel plainClient;
    private SocketAddress plainServerAddress;
    private PssstClient client;
    private PssstServer server;

    private PssstServerChannel pssstServer;
    private PssstClientChannel pssstClient;
    private SocketAddress pssstServerAddress;

    @Setup
    public void setUp() throws IOException, PssstException {
        request = Fixtures.directMessage(size);
        Fixtures f = new Fixtures();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);

        plainServer = DatagramChannel.open().bind(loopback);
        plainClient = DatagramChannel.open().bind(loopback);
        plainServerAddress = plainServer.getLocalAddress();
        client = PssstClient.anonymous(f.serverPublic);
        server = PssstServer.create(f.serverPrivate);

        pssstServer = PssstDatagramChannel.openServer(f.serverPrivate);
        pssstServer.bind(loopback);
        pssstClient = PssstDatagramChannel.openClient(f.serverPublic);
        pssstClient.bind(loopback);
        pssstServerAddress = pssstServer.getLocalAddress();
    }

    @TearDown
    public void tearDown() throws IOException {
        plainServer.close();
        plainClient.close();
        pssstServer.close();
        pssstClient.close();
    }

    @Benchmark
    public int plainChannels() throws IOException {
        plainClient.send(request.rewind(), plainServerAddress);
        SocketAddress from = plainServer.receive(serverBuf.clear());
        plainServer.send(serverBuf.flip(), from);
        plainClient.receive(clientBuf.clear());
        return clientBuf.position();
    }

    @Benchmark
    public int engineOverPlainChannels() throws IOException, PssstException {
        ReplyOpener opener = client.pack(request.rewind(), clientTx.clear());
        plainClient.send(clientTx.flip(), plainServerAddress);
        SocketAddress from = plainServer.receive(serverRx.clear());
        ReplySealer sealer = server.open(serverRx.flip(), serverBuf.clear());
        sealer.seal(serverBuf.flip(), serverTx.clear());
        plainServer.send(serverTx.flip(), from);
        plainClient.receive(clientRx.clear());
        opener.open(clientRx.flip(), clientBuf.clear());
        return clientBuf.position();
    }

    @Benchmark
    public int pssstChannels() throws IOException {
        pssstClient.send(request.rewind(), pssstServerAddress);
        SocketAddress from = pssstServer.receive(serverBuf.clear());
        pssstServer.send(serverBuf.flip(), from);
        pssstClient.receive(clientBuf.clear());
        return clientBuf.position();
    }
}
