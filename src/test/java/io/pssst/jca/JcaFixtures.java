package io.pssst.jca;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.testing.FixedRandom;
import io.pssst.testing.InteropVectors.Transaction;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;

/** Shared helpers of the JCA tests: one provider object (never installed here), keys, ciphers, refusal checks. */
final class JcaFixtures {
    static final PssstProvider PROVIDER = new PssstProvider();
    private static final Set<String> TAG_REASONS = Set.of("decrypt-failed", "client-auth-failed", "reply-mismatch");

    private JcaFixtures() {
    }

    static Cipher cipher() throws GeneralSecurityException {
        return Cipher.getInstance("PSSST", PROVIDER);
    }

    static Cipher cipher(int mode, Key key) throws GeneralSecurityException {
        Cipher c = cipher();
        c.init(mode, key);
        return c;
    }

    static KeyAgreement keyAgreement() throws GeneralSecurityException {
        return KeyAgreement.getInstance("PSSST", PROVIDER);
    }

    static XECPublicKey serverPublic(Transaction v) throws PssstException {
        return PssstKeys.publicKey(v.serverPublic());
    }

    static XECPrivateKey serverPrivate(Transaction v) throws PssstException {
        return PssstKeys.privateKey(v.serverPrivate());
    }

    /** The client's spec of vector {@code v}: anonymous, or authenticated with its client key. */
    static PssstParameterSpec clientSpec(Transaction v) throws PssstException {
        return v.clientPrivate() == null ? PssstParameterSpec.anonymous()
                : PssstParameterSpec.authenticated(PssstKeys.privateKey(v.clientPrivate()));
    }

    /** A client cipher for vector {@code v} whose random yields exactly the vector's ephemeral scalar. */
    static Cipher clientCipher(Transaction v) throws GeneralSecurityException {
        Cipher c = cipher();
        c.init(Cipher.ENCRYPT_MODE, serverPublic(v), clientSpec(v), new FixedRandom(v.ephemeralPrivate()));
        return c;
    }

    /** The client's transaction key for vector {@code v} from {@code KeyAgreement}. */
    static SecretKey clientAgreement(Transaction v) throws GeneralSecurityException {
        KeyAgreement ka = keyAgreement();
        ka.init(serverPublic(v), clientSpec(v), new FixedRandom(v.ephemeralPrivate()));
        return ka.generateSecret("PSSST");
    }

    /** The server's transaction key from {@code KeyAgreement} for a request whose dh_param is {@code dhParam}. */
    static SecretKey serverAgreement(Transaction v, byte[] dhParam) throws GeneralSecurityException {
        KeyAgreement ka = keyAgreement();
        ka.init(serverPrivate(v));
        ka.doPhase(PssstKeys.publicKey(dhParam), true);
        return ka.generateSecret("PSSST");
    }

    /** The dh_param (request id) of a datagram of at least 36 bytes. */
    static byte[] dhParam(byte[] datagram) {
        return Arrays.copyOfRange(datagram, 4, 36);
    }

    static PssstTransactionSpec transaction(Cipher c) throws GeneralSecurityException {
        return c.getParameters().getParameterSpec(PssstTransactionSpec.class);
    }

    static Cipher init(Cipher c, int mode, Key key, AlgorithmParameterSpec spec, SecureRandom random)
            throws GeneralSecurityException {
        c.init(mode, key, spec, random);
        return c;
    }

    /**
     * Asserts that {@code e} carries a PSSST refusal with one of {@code reasons} as its cause,
     * and that its JCA type follows docs/jca.md: AEADBadTagException for authenticity
     * failures, BadPaddingException for the others.
     */
    static void assertRefused(List<String> reasons, Throwable e) {
        assertInstanceOf(BadPaddingException.class, e, "refusals are BadPaddingExceptions");
        if (!(e.getCause() instanceof PssstException)) {
            fail("the cause is not a PssstException", e);
        }
        String reason = ((PssstException) e.getCause()).reason().wireName();
        if (!reasons.contains(reason)) {
            fail("refused as " + reason + " (" + e.getMessage() + "), expected one of " + reasons, e);
        }
        assertTrue(TAG_REASONS.contains(reason) == (e instanceof AEADBadTagException),
                () -> reason + " surfaced as " + e.getClass().getName());
    }
}
