package io.pssst.bench;

import io.pssst.internal.x25519.ArrayLadder;
import io.pssst.internal.x25519.FixedBase;
import io.pssst.internal.x25519.X25519Builtin;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One X25519 scalar multiplication, in the same run: the JDK's {@code KeyAgreement "X25519"}
 * (as the engine uses it: a new KeyAgreement per agreement, key objects made beforehand),
 * the built-in ladder (any u; and the ladder as it was before the generated steps, for the
 * same-run comparison), the built-in fixed-base path (the base point's table and a
 * table built at run time for a server key), and the cost of building such a table.
 * See docs/x25519.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class X25519Benchmark {
    private PrivateKey jdkPrivate;
    private PublicKey jdkPublic;

    private final byte[] scalar = Fixtures.message(32);
    private byte[] serverU;
    private final byte[] out = new byte[32];
    private FixedBase serverTable;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
        jdkPrivate = g.generateKeyPair().getPrivate();
        jdkPublic = g.generateKeyPair().getPublic();
        serverU = io.pssst.PssstKeys.toRaw((XECPublicKey) jdkPublic);
        serverTable = FixedBase.of(serverU).orElseThrow();
        X25519Builtin.publicKey(out, scalar); // builds the base point's table outside the measurement
    }

    @TearDown
    public void tearDown() {
        serverTable.destroy();
    }

    /** The JDK: new KeyAgreement, init, doPhase, generateSecret (key objects made beforehand). */
    @Benchmark
    public byte[] jdkAgreement() throws GeneralSecurityException {
        return Fixtures.jdkAgreement(jdkPrivate, jdkPublic);
    }

    /** Built-in X25519(k, u) by the Montgomery ladder: what any u costs. */
    @Benchmark
    public byte[] builtinLadder() {
        X25519Builtin.x25519(out, scalar, serverU);
        return out;
    }

    /** The former built-in ladder (arrays and Field calls, {@link ArrayLadder}): old against new, same run. */
    @Benchmark
    public byte[] builtinLadderBefore() {
        ArrayLadder.x25519(out, scalar, serverU);
        return out;
    }

    /** Built-in X25519(k, 9) from the base point's table: a public key, a client's e·9. */
    @Benchmark
    public byte[] builtinBasePoint() {
        X25519Builtin.publicKey(out, scalar);
        return out;
    }

    /** Built-in X25519(k, S) from S's table built at run time: a client's e·S. */
    @Benchmark
    public byte[] builtinFixedBase() {
        serverTable.multiply(out, scalar);
        return out;
    }

    /** Building (and wiping) the table of a u: paid once per key that does not change. */
    @Benchmark
    public FixedBase builtinTableBuild() {
        FixedBase t = FixedBase.of(serverU).orElseThrow();
        t.destroy();
        return t;
    }
}
