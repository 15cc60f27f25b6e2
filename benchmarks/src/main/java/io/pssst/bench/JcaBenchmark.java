package io.pssst.bench;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstServer;
import io.pssst.ReceivedRequest;
import io.pssst.jca.PssstParameterSpec;
import io.pssst.jca.PssstProvider;
import io.pssst.jca.PssstTransactionSpec;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.SecureRandom;
import java.security.Security;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A whole transaction (100-byte request, 100-byte echo reply, in memory) through
 * {@code Cipher "PSSST"} and through the native API's {@code byte[]} methods: the cost of
 * the JCA surface. Both allocate their output arrays per step, as their byte[] forms must.
 *
 * <ul>
 *   <li>{@code cipher…}: the client and server ciphers are initialised once and reused (each
 *       {@code doFinal} is a new transaction, docs/jca.md); the reply is sealed and opened by
 *       two cipher objects re-initialised with the transaction keys from {@code getParameters()}.
 *   <li>{@code cipher…FreshInit}: docs/jca.md's example as written, four
 *       {@code Cipher.getInstance("PSSST")} and {@code init} per transaction. An authenticated
 *       client's {@code init} computes X25519(c, S) (and C), so it costs two X25519 more.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class JcaBenchmark {
    static final int SIZE = 100;

    private final byte[] message = Fixtures.message(SIZE);
    private XECPublicKey serverPublic;
    private XECPrivateKey serverPrivate;
    private PssstParameterSpec authenticatedSpec;
    private final SecureRandom random = new SecureRandom();

    private PssstClient nativeAnonymous;
    private PssstClient nativeAuthenticated;
    private PssstServer nativeServer;

    private Cipher clientAnonymous;
    private Cipher clientAuthenticated;
    private Cipher server;
    private Cipher sealReply;
    private Cipher openReply;
    private boolean installed;

    @Setup
    public void setUp() throws GeneralSecurityException, PssstException {
        if (Security.getProvider(PssstProvider.NAME) == null) {
            Security.addProvider(new PssstProvider());
            installed = true;
        }
        Fixtures f = new Fixtures();
        serverPublic = f.serverPublic;
        serverPrivate = f.serverPrivate;
        authenticatedSpec = PssstParameterSpec.authenticated(f.clientPrivate);

        nativeAnonymous = PssstClient.anonymous(serverPublic);
        nativeAuthenticated = PssstClient.authenticated(serverPublic, f.clientPrivate);
        nativeServer = PssstServer.create(serverPrivate);

        clientAnonymous = Cipher.getInstance("PSSST");
        clientAnonymous.init(Cipher.ENCRYPT_MODE, serverPublic, random);
        clientAuthenticated = Cipher.getInstance("PSSST");
        clientAuthenticated.init(Cipher.ENCRYPT_MODE, serverPublic, authenticatedSpec, random);
        server = Cipher.getInstance("PSSST");
        server.init(Cipher.DECRYPT_MODE, serverPrivate);
        sealReply = Cipher.getInstance("PSSST");
        openReply = Cipher.getInstance("PSSST");
    }

    @TearDown
    public void tearDown() {
        if (installed) {
            Security.removeProvider(PssstProvider.NAME);
        }
    }

    // ---- native API, byte[] forms ---------------------------------------------------------

    @Benchmark
    public byte[] nativeTransactionAnonymous() throws PssstException {
        return nativeTransaction(nativeAnonymous);
    }

    @Benchmark
    public byte[] nativeTransactionAuthenticated() throws PssstException {
        return nativeTransaction(nativeAuthenticated);
    }

    private byte[] nativeTransaction(PssstClient client) throws PssstException {
        PackedRequest request = client.pack(message);
        ReceivedRequest received = nativeServer.open(request.datagram());
        return request.openReply(received.seal(received.message()));
    }

    // ---- Cipher "PSSST", ciphers reused ------------------------------------------------------

    @Benchmark
    public byte[] cipherTransactionAnonymous() throws GeneralSecurityException {
        return cipherTransaction(clientAnonymous);
    }

    @Benchmark
    public byte[] cipherTransactionAuthenticated() throws GeneralSecurityException {
        return cipherTransaction(clientAuthenticated);
    }

    private byte[] cipherTransaction(Cipher client) throws GeneralSecurityException {
        byte[] request = client.doFinal(message);
        Key clientTx = client.getParameters().getParameterSpec(PssstTransactionSpec.class).transactionKey();
        byte[] received = server.doFinal(request);
        Key serverTx = server.getParameters().getParameterSpec(PssstTransactionSpec.class).transactionKey();
        sealReply.init(Cipher.ENCRYPT_MODE, serverTx);
        byte[] reply = sealReply.doFinal(received);
        openReply.init(Cipher.DECRYPT_MODE, clientTx);
        return openReply.doFinal(reply);
    }

    // ---- Cipher "PSSST", docs/jca.md's example: getInstance + init at every step ---------------

    @Benchmark
    public byte[] cipherTransactionAnonymousFreshInit() throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("PSSST");
        c.init(Cipher.ENCRYPT_MODE, serverPublic, random);
        return freshInitTransaction(c);
    }

    @Benchmark
    public byte[] cipherTransactionAuthenticatedFreshInit() throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("PSSST");
        c.init(Cipher.ENCRYPT_MODE, serverPublic, authenticatedSpec, random);
        return freshInitTransaction(c);
    }

    private byte[] freshInitTransaction(Cipher c) throws GeneralSecurityException {
        byte[] request = c.doFinal(message);
        PssstTransactionSpec clientTx = c.getParameters().getParameterSpec(PssstTransactionSpec.class);
        Cipher s = Cipher.getInstance("PSSST");
        s.init(Cipher.DECRYPT_MODE, serverPrivate);
        byte[] received = s.doFinal(request);
        PssstTransactionSpec serverTx = s.getParameters().getParameterSpec(PssstTransactionSpec.class);
        Cipher r = Cipher.getInstance("PSSST");
        r.init(Cipher.ENCRYPT_MODE, serverTx.transactionKey());
        byte[] reply = r.doFinal(received);
        Cipher o = Cipher.getInstance("PSSST");
        o.init(Cipher.DECRYPT_MODE, clientTx.transactionKey());
        return o.doFinal(reply);
    }
}
