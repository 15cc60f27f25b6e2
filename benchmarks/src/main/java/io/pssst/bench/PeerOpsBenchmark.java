package io.pssst.bench;

import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstServer;
import io.pssst.PssstX25519;
import io.pssst.ReplyOpener;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The four operations that {@code ../shared/tools/peer-bench/pybench.py} times for the Python
 * reference implementation, done the same way with the native API, with each X25519
 * implementation: a client packs a 64-byte message (anonymous, authenticated); a server
 * opens a request and seals the reply to it (the echo of the message). {@code benchmarks/peers}
 * runs this and pybench in interleaved rounds and prints them side by side.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PeerOpsBenchmark {
    static final int SIZE = 64;

    @Param({"jdk", "builtin"})
    public String x25519;

    private PssstClient anonymous;
    private PssstClient authenticated;
    private PssstServer server;
    private final ByteBuffer message = Fixtures.heapMessage(SIZE);
    private final ByteBuffer datagram = ByteBuffer.allocate(Fixtures.BUFFER);
    private final ByteBuffer plain = ByteBuffer.allocate(Fixtures.BUFFER);
    private final ByteBuffer reply = ByteBuffer.allocate(Fixtures.BUFFER);
    private ByteBuffer anonymousRequest;
    private ByteBuffer authenticatedRequest;

    @Setup
    public void setUp() throws PssstException {
        PssstX25519 which = PssstX25519.parse(x25519);
        Fixtures f = new Fixtures();
        anonymous = PssstClient.anonymous(f.serverPublic, which);
        authenticated = PssstClient.authenticated(f.serverPublic, f.clientPrivate, which);
        server = PssstServer.create(f.serverPrivate, which);
        anonymousRequest = ByteBuffer.wrap(anonymous.pack(Fixtures.message(SIZE)).datagram());
        authenticatedRequest = ByteBuffer.wrap(authenticated.pack(Fixtures.message(SIZE)).datagram());
    }

    @Benchmark
    public ReplyOpener clientPackAnonymous() throws PssstException {
        return anonymous.pack(message.rewind(), datagram.clear());
    }

    @Benchmark
    public ReplyOpener clientPackAuthenticated() throws PssstException {
        return authenticated.pack(message.rewind(), datagram.clear());
    }

    /** Open (the same request again: what a server does with a replay, at the same cost) and seal the echo. */
    @Benchmark
    public int serverOpenReplyAnonymous() throws PssstException {
        return openReply(anonymousRequest);
    }

    @Benchmark
    public int serverOpenReplyAuthenticated() throws PssstException {
        return openReply(authenticatedRequest);
    }

    private int openReply(ByteBuffer request) throws PssstException {
        server.open(request.duplicate(), plain.clear()).seal(plain.flip(), reply.clear());
        return reply.position();
    }
}
