package io.pssst.jca;

import io.pssst.testing.RequiresSharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.internal.X25519;
import io.pssst.testing.FixedRandom;
import io.pssst.testing.Wycheproof;
import io.pssst.testing.Wycheproof.Case;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code x25519_test.json} through {@code KeyAgreement "PSSST"}, both roles. The
 * provider never releases the shared secret, so each case is checked through what the
 * secret seals: an independent oracle (SHA-256 and AES-GCM straight from the JDK, following
 * PROTOCOL.md) seals with the listed shared secret, and the provider must open it (server) or
 * produce the same bytes (client, its ephemeral key being the case's private key). Cases
 * whose shared secret is zero must be refused with {@code invalid-key}. Every failing case
 * id is collected; the list must be empty.
 */
@RequiresSharedData
class PssstKeyAgreementWycheproofTest {
    private static final String FILE = "x25519_test.json";
    private static final byte[] MESSAGE = "wycheproof".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REQUEST_HEADER = {0, 0, 0, 1};
    private static final byte[] REPLY_HEADER = {(byte) 0x80, 0, 0, 1};

    @Test
    void x25519_everyCase_throughBothRoles() throws Exception {
        List<String> failures = new ArrayList<>();
        List<Case> cases = Wycheproof.cases(FILE);
        assertEquals(Wycheproof.announced(FILE), cases.size(), "the whole file was read");
        for (Case c : cases) {
            byte[] priv = c.hex("private");
            byte[] pub = c.hex("public");
            byte[] shared = c.hex("shared");
            String id = c.toString();
            try {
                if (X25519.isAllZero(shared)) {
                    checkRefused(priv, pub, failures, id);
                } else {
                    checkServer(priv, pub, shared, failures, id);
                    checkClient(priv, pub, shared, failures, id);
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                failures.add(id + ": " + e);
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failing cases:\n" + String.join("\n", failures));
    }

    /** The server opens a request the oracle sealed with the listed secret, and seals the reply the oracle expects. */
    private static void checkServer(byte[] priv, byte[] pub, byte[] shared, List<String> failures, String id)
            throws GeneralSecurityException {
        byte[] dhParam = PssstKeys.toRaw(PssstKeys.publicKey(pub)); // canonical, as an XECPublicKey holds it
        KeyAgreement ka = JcaFixtures.keyAgreement();
        ka.init(PssstKeys.privateKey(priv));
        ka.doPhase(PssstKeys.publicKey(dhParam), true);
        SecretKey tx = ka.generateSecret("PSSST");
        byte[] request = Oracle.seal(REQUEST_HEADER, dhParam, shared, false, MESSAGE);
        if (!Arrays.equals(MESSAGE, JcaFixtures.cipher(Cipher.DECRYPT_MODE, tx).doFinal(request))) {
            failures.add(id + ": server opened a different message");
        }
        byte[] reply = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, tx).doFinal(MESSAGE);
        if (!Arrays.equals(Oracle.seal(REPLY_HEADER, dhParam, shared, true, MESSAGE), reply)) {
            failures.add(id + ": server sealed a reply the oracle does not expect");
        }
    }

    /** A client whose ephemeral key is the case's private key and whose server key is the case's public key. */
    private static void checkClient(byte[] priv, byte[] pub, byte[] shared, List<String> failures, String id)
            throws GeneralSecurityException {
        KeyAgreement ka = JcaFixtures.keyAgreement();
        ka.init(PssstKeys.publicKey(pub), PssstParameterSpec.anonymous(), new FixedRandom(priv));
        byte[] request = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, ka.generateSecret("PSSST")).doFinal(MESSAGE);
        byte[] dhParam = JcaFixtures.dhParam(request);
        if (!Arrays.equals(Oracle.seal(REQUEST_HEADER, dhParam, shared, false, MESSAGE), request)) {
            failures.add(id + ": client sealed a request the oracle does not expect");
        }
    }

    /** Both roles refuse a zero shared secret with invalid-key (the client at init or at generateSecret). */
    private static void checkRefused(byte[] priv, byte[] pub, List<String> failures, String id) throws PssstException {
        try {
            KeyAgreement server = JcaFixtures.keyAgreement();
            server.init(PssstKeys.privateKey(priv));
            server.doPhase(PssstKeys.publicKey(pub), true);
            failures.add(id + ": server accepted a low-order dh_param");
        } catch (InvalidKeyException e) {
            expectInvalidKey(e, failures, id + " (server)");
        } catch (GeneralSecurityException e) {
            failures.add(id + ": server refused with " + e);
        }
        try {
            KeyAgreement client = JcaFixtures.keyAgreement();
            client.init(PssstKeys.publicKey(pub), PssstParameterSpec.anonymous(), new FixedRandom(priv));
            client.generateSecret("PSSST");
            failures.add(id + ": client accepted a low-order server key");
        } catch (InvalidKeyException e) {
            expectInvalidKey(e, failures, id + " (client)");
        } catch (GeneralSecurityException e) {
            failures.add(id + ": client refused with " + e);
        }
    }

    private static void expectInvalidKey(InvalidKeyException e, List<String> failures, String id) {
        if (!(e.getCause() instanceof InvalidKeyMaterialException)) {
            failures.add(id + ": refused without the invalid-key reason: " + e);
        }
    }

    /** PROTOCOL.md's key derivation and AEAD written out with the JDK, independently of the engine. */
    private static final class Oracle {
        static byte[] seal(byte[] header, byte[] dhParam, byte[] shared, boolean reply, byte[] message)
                throws GeneralSecurityException {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(dhParam);
            byte[] digest = sha.digest(shared);
            byte[] nonce = new byte[12];
            System.arraycopy(digest, reply ? 24 : 16, nonce, 0, 8);
            System.arraycopy((reply ? "RPLY" : "RQST").getBytes(StandardCharsets.US_ASCII), 0, nonce, 8, 4);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(digest, 0, 16, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(header);
            ByteBuffer out = ByteBuffer.allocate(36 + message.length + 16).put(header).put(dhParam);
            gcm.doFinal(ByteBuffer.wrap(message), out);
            return out.array();
        }
    }
}
