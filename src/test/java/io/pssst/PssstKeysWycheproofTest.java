package io.pssst;

import io.pssst.testing.RequiresSharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.internal.Bytes;
import io.pssst.internal.X25519;
import io.pssst.testing.Wycheproof;
import io.pssst.testing.Wycheproof.Case;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code x25519_asn_test.json} (DER) and {@code x25519_pem_test.json} (PEM) through
 * the {@link PssstKeys} import helpers, then the engine's key agreement. A valid case must
 * load and give the listed shared secret (or, if that secret is all zero, be refused by the
 * agreement with invalid-key); an invalid encoding must be refused with an
 * {@link InvalidKeyMaterialException}; an acceptable case may go either way, but never with
 * another exception or a wrong secret. Every failing tcId is collected.
 */
@RequiresSharedData
class PssstKeysWycheproofTest {

    /** How one key of a case is read. */
    @FunctionalInterface
    private interface KeyReader<K> {
        K read(Case c) throws InvalidKeyMaterialException;
    }

    @Test
    void fromDer_everyCase() {
        assertEquals(List.of(), run("x25519_asn_test.json",
                c -> PssstKeys.publicKeyFromDer(c.hex("public")),
                c -> PssstKeys.privateKeyFromDer(c.hex("private"))));
    }

    @Test
    void fromPem_everyCase() {
        assertEquals(List.of(), run("x25519_pem_test.json",
                c -> PssstKeys.publicKeyFromPem(c.string("public")),
                c -> PssstKeys.privateKeyFromPem(c.string("private"))));
    }

    private static List<String> run(String file, KeyReader<XECPublicKey> publicKey,
            KeyReader<XECPrivateKey> privateKey) {
        List<Case> cases = Wycheproof.cases(file);
        assertEquals(Wycheproof.announced(file), cases.size(), "tests read from " + file);
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            try {
                check(c, publicKey, privateKey, failures);
            } catch (RuntimeException e) {
                failures.add(c + ": unexpected " + e);
            }
        }
        return failures;
    }

    private static void check(Case c, KeyReader<XECPublicKey> publicKey, KeyReader<XECPrivateKey> privateKey,
            List<String> failures) {
        XECPublicKey pub;
        XECPrivateKey priv;
        try {
            pub = publicKey.read(c);
            priv = privateKey.read(c);
        } catch (InvalidKeyMaterialException e) {
            if (c.valid()) {
                failures.add(c + ": valid keys refused (" + e.getMessage() + ")");
            } else if (e.getMessage() == null || e.getMessage().isBlank()) {
                failures.add(c + ": refused without a message");
            }
            return;
        }
        if (c.invalid()) {
            failures.add(c + ": invalid encoding accepted");
            return;
        }
        byte[] expected = c.hex("shared");
        try {
            byte[] shared = X25519.agree(priv, pub);
            if (!Arrays.equals(expected, shared)) {
                failures.add(c + ": shared secret " + Bytes.hex(shared) + ", expected " + Bytes.hex(expected));
            }
        } catch (InvalidKeyMaterialException e) {
            if (!X25519.isAllZero(expected)) {
                failures.add(c + ": agreement refused (" + e.getMessage() + ")");
            }
        }
    }
}
