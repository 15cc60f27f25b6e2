package io.pssst.bench;

import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstServer;
import io.pssst.ReplyOpener;
import io.pssst.ReplySealer;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The protocol engine through the native API (ByteBuffer variants, buffers reused, 100-byte
 * messages), next to its unit of cost: one X25519 agreement as the JDK's JCA does it.
 *
 * <p>Per operation the engine runs: client pack, anonymous 2 agreements (dh_param = X25519(e, 9),
 * shared = X25519(e, S)); authenticated 2 (X25519(e, C), X25519(e, CS)). Server open,
 * anonymous 1 (X25519(s, dh_param)); authenticated 2 (plus the proof, X25519(e, C)). A whole
 * transaction: 3 anonymous, 4 authenticated, plus SHA-256 and two AES-GCM operations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class EngineBenchmark {
    static final int SIZE = 100;

    private PssstClient anonymous;
    private PssstClient authenticated;
    private PssstServer server;
    private final ByteBuffer message = Fixtures.heapMessage(SIZE);
    private final ByteBuffer datagram = ByteBuffer.allocate(Fixtures.BUFFER);
    private final ByteBuffer plain = ByteBuffer.allocate(Fixtures.BUFFER);
    private final ByteBuffer reply = ByteBuffer.allocate(Fixtures.BUFFER);
    private final ByteBuffer opened = ByteBuffer.allocate(Fixtures.BUFFER);
    private ByteBuffer anonymousRequest;
    private ByteBuffer authenticatedRequest;

    // Baseline: one X25519 agreement with key objects made beforehand...
    private PrivateKey agreementPrivate;
    private PublicKey agreementPublic;
    // ...and the same from raw 32-byte strings, building the key objects as the engine does.
    private byte[] rawScalar;
    private byte[] rawU;

    @Setup
    public void setUp() throws GeneralSecurityException, PssstException {
        Fixtures f = new Fixtures();
        anonymous = PssstClient.anonymous(f.serverPublic);
        authenticated = PssstClient.authenticated(f.serverPublic, f.clientPrivate);
        server = PssstServer.create(f.serverPrivate);
        anonymousRequest = ByteBuffer.wrap(anonymous.pack(Fixtures.message(SIZE)).datagram());
        authenticatedRequest = ByteBuffer.wrap(authenticated.pack(Fixtures.message(SIZE)).datagram());

        agreementPrivate = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPrivate();
        agreementPublic = f.serverPublic;
        rawScalar = Fixtures.message(32);
        rawU = io.pssst.PssstKeys.toRaw(f.serverPublic);
    }

    // ---- baselines ------------------------------------------------------------------------

    /** One X25519 agreement through the JCA: a new KeyAgreement, init, doPhase, generateSecret. */
    @Benchmark
    public byte[] x25519Agreement() throws GeneralSecurityException {
        return Fixtures.jdkAgreement(agreementPrivate, agreementPublic);
    }

    /** The same, building both key objects from raw 32-byte strings first (KeyFactory). */
    @Benchmark
    public byte[] x25519AgreementFromRawKeys() throws GeneralSecurityException {
        KeyFactory kf = KeyFactory.getInstance("X25519");
        PrivateKey k = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, rawScalar));
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = rawU[31 - i];
        }
        PublicKey u = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(k);
        ka.doPhase(u, true);
        return ka.generateSecret();
    }

    // ---- one side, one step ---------------------------------------------------------------

    @Benchmark
    public ReplyOpener clientPackAnonymous() throws PssstException {
        return anonymous.pack(message.rewind(), datagram.clear());
    }

    @Benchmark
    public ReplyOpener clientPackAuthenticated() throws PssstException {
        return authenticated.pack(message.rewind(), datagram.clear());
    }

    /** Opening the same request again is what a server does with a replay: allowed, stateless. */
    @Benchmark
    public ReplySealer serverOpenAnonymous() throws PssstException {
        return server.open(anonymousRequest.duplicate(), plain.clear());
    }

    @Benchmark
    public ReplySealer serverOpenAuthenticated() throws PssstException {
        return server.open(authenticatedRequest.duplicate(), plain.clear());
    }

    // ---- the whole transaction --------------------------------------------------------------

    /** Pack, open, seal an echo reply, open it: both sides of one transaction, in memory. */
    @Benchmark
    public int transactionAnonymous() throws PssstException {
        return transaction(anonymous);
    }

    @Benchmark
    public int transactionAuthenticated() throws PssstException {
        return transaction(authenticated);
    }

    private int transaction(PssstClient client) throws PssstException {
        ReplyOpener opener = client.pack(message.rewind(), datagram.clear());
        ReplySealer sealer = server.open(datagram.flip(), plain.clear());
        sealer.seal(plain.flip(), reply.clear());
        opener.open(reply.flip(), opened.clear());
        return opened.position();
    }
}
