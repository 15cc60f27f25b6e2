package io.pssst.bench;

import io.pssst.DecryptFailedException;
import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.PssstServer;
import io.pssst.PssstX25519;
import io.pssst.ReplySealer;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.List;
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
 * What a key rotation costs a server (docs/operations.md, "Key rotation"): opening an
 * anonymous 100-byte request with {@code keysHeld} keys held (the current one and
 * {@code keysHeld - 1} previous ones), for the current key, for the oldest key held, and for
 * no key held (a forged request, refused). The engine tries the keys in order, one X25519
 * each, until a tag verifies: the oldest key's request and the forged one cost
 * {@code keysHeld} X25519 operations, the current key's one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class KeyRotationBenchmark {
    @Param({"1", "2", "3"})
    int keysHeld;

    @Param({"JDK", "BUILTIN"})
    PssstX25519 x25519;

    private PssstServer server;
    private ByteBuffer currentKeyRequest;
    private ByteBuffer oldestKeyRequest;
    private ByteBuffer forgedRequest;
    private final ByteBuffer plain = ByteBuffer.allocate(Fixtures.BUFFER);

    @Setup
    public void setUp() throws PssstException {
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < keysHeld; i++) {
            keys.add(PssstKeys.generateKeyPair());
        }
        List<XECPrivateKey> previous = new ArrayList<>();
        for (KeyPair k : keys.subList(1, keysHeld)) {
            previous.add((XECPrivateKey) k.getPrivate());
        }
        server = PssstServer.create((XECPrivateKey) keys.get(0).getPrivate(), previous, x25519);
        currentKeyRequest = request(keys.get(0));
        oldestKeyRequest = request(keys.get(keysHeld - 1));
        forgedRequest = request(PssstKeys.generateKeyPair());
    }

    private ByteBuffer request(KeyPair serverKey) throws PssstException {
        PssstClient client = PssstClient.anonymous((XECPublicKey) serverKey.getPublic(), x25519);
        return ByteBuffer.wrap(client.pack(Fixtures.message(EngineBenchmark.SIZE)).datagram());
    }

    /** A request for the current key: one X25519, however many keys are held. */
    @Benchmark
    public ReplySealer openCurrentKey() throws PssstException {
        return server.open(currentKeyRequest.duplicate(), plain.clear());
    }

    /** A request for the oldest key held: one X25519 per key held. */
    @Benchmark
    public ReplySealer openOldestKey() throws PssstException {
        return server.open(oldestKeyRequest.duplicate(), plain.clear());
    }

    /** A request sealed for a key the server does not hold (a forged one): refused after one X25519 per key held. */
    @Benchmark
    public Object refuseForged() throws PssstException {
        try {
            return server.open(forgedRequest.duplicate(), plain.clear());
        } catch (DecryptFailedException e) {
            return e;
        }
    }
}
