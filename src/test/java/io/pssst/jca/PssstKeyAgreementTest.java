package io.pssst.jca;

import static io.pssst.jca.JcaFixtures.keyAgreement;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstKeys;
import io.pssst.jca.JcaFixtures.CountingRandom;
import io.pssst.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@code KeyAgreement "PSSST"}: both roles, fresh client transactions, and every misuse refused. */
class PssstKeyAgreementTest {
    private static final KeyPair SERVER = PssstKeys.generateKeyPair();
    private static final KeyPair CLIENT = PssstKeys.generateKeyPair();
    private static final byte[] MESSAGE = "ping".getBytes(StandardCharsets.UTF_8);

    private static KeyAgreement client(CountingRandom random) throws Exception {
        KeyAgreement ka = keyAgreement();
        ka.init(SERVER.getPublic(), PssstParameterSpec.authenticated((XECPrivateKey) CLIENT.getPrivate()), random);
        return ka;
    }

    private static KeyAgreement server() throws Exception {
        KeyAgreement ka = keyAgreement();
        ka.init(SERVER.getPrivate());
        return ka;
    }

    @Test
    void client_eachGenerateSecret_newTransactionDrawingExactly32Bytes() throws Exception {
        CountingRandom random = new CountingRandom(7);
        KeyAgreement ka = client(random);
        assertEquals(0, random.drawn(), "init draws nothing");
        SecretKey first = ka.generateSecret("PSSST");
        SecretKey second = ka.generateSecret("PSSST");
        assertEquals(64, random.drawn());
        byte[] a = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, first).doFinal(MESSAGE);
        byte[] b = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, second).doFinal(MESSAGE);
        assertFalse(Arrays.equals(JcaFixtures.dhParam(a), JcaFixtures.dhParam(b)), "a fresh ephemeral key each time");
        assertEquals("PSSST", first.getAlgorithm());
    }

    @Test
    void fullTransaction_keyAgreementBothSides() throws Exception {
        SecretKey clientTx = client(new CountingRandom(3)).generateSecret("PSSST");
        byte[] request = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, clientTx).doFinal(MESSAGE);

        KeyAgreement ka = server();
        ka.doPhase(PssstKeys.publicKey(JcaFixtures.dhParam(request)), true);
        SecretKey serverTx = ka.generateSecret("PSSST");
        Cipher opener = JcaFixtures.cipher(Cipher.DECRYPT_MODE, serverTx);
        assertArrayEquals(MESSAGE, opener.doFinal(request));
        assertEquals(CLIENT.getPublic(), JcaFixtures.transaction(opener).clientKey().orElseThrow());
        byte[] reply = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverTx).doFinal(MESSAGE);

        assertArrayEquals(MESSAGE, JcaFixtures.cipher(Cipher.DECRYPT_MODE, clientTx).doFinal(reply));
    }

    @Test
    void generateSecret_rawForms_refused() throws Exception {
        KeyAgreement ka = server();
        ka.doPhase(SERVER.getPublic(), true);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, ka::generateSecret);
        assertTrue(e.getMessage().contains("does not release raw secrets"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> ka.generateSecret(new byte[32], 0));
        assertThrows(NoSuchAlgorithmException.class, () -> ka.generateSecret("AES"));
        assertEquals("PSSST", ka.generateSecret("PSSST").getAlgorithm(), "the refusals consumed nothing");
    }

    @Test
    void server_phaseMisuse_illegalState() throws Exception {
        KeyAgreement ka = server();
        assertThrows(IllegalStateException.class, () -> ka.generateSecret("PSSST"), "no doPhase yet");
        assertThrows(IllegalStateException.class, () -> ka.doPhase(SERVER.getPublic(), false));
        ka.doPhase(SERVER.getPublic(), true);
        assertThrows(IllegalStateException.class, () -> ka.doPhase(SERVER.getPublic(), true));
        ka.generateSecret("PSSST");
        assertThrows(IllegalStateException.class, () -> ka.generateSecret("PSSST"), "one key per doPhase");
        assertThrows(IllegalStateException.class, () -> keyAgreement().doPhase(SERVER.getPublic(), true),
                "uninitialised");
    }

    @Test
    void client_doPhase_illegalState() throws Exception {
        KeyAgreement ka = client(new CountingRandom(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ka.doPhase(SERVER.getPublic(), true));
        assertTrue(e.getMessage().contains("a PSSST client has no phase"), e.getMessage());
    }

    @Test
    void init_andDoPhase_wrongKeys_refused() throws Exception {
        assertThrows(InvalidKeyException.class, () -> keyAgreement().init(new SecretKeySpec(new byte[16], "AES")));
        KeyPair x448 = KeyPairGenerator.getInstance("X448").generateKeyPair();
        assertThrows(InvalidKeyException.class, () -> keyAgreement().init(x448.getPrivate()));
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> keyAgreement().init(SERVER.getPrivate(), PssstParameterSpec.anonymous()));
        KeyAgreement ka = server();
        assertThrows(InvalidKeyException.class, () -> ka.doPhase(x448.getPublic(), true));
        assertThrows(InvalidKeyException.class, () -> ka.doPhase(SERVER.getPrivate(), true));
        InvalidKeyException low = assertThrows(InvalidKeyException.class,
                () -> ka.doPhase(PssstKeys.publicKey(new byte[32]), true));
        assertInstanceOf(InvalidKeyMaterialException.class, low.getCause());
    }

    /** Every encoding of every low-order point, anonymous or authenticated: refused at init. */
    @Test
    void client_init_lowOrderServerKey_everyEncoding_invalidKey() throws Exception {
        for (String point : TestKeys.LOW_ORDER) {
            XECPublicKey lowOrder = PssstKeys.publicKey(TestKeys.lowOrder(point));
            for (PssstParameterSpec spec : new PssstParameterSpec[] {PssstParameterSpec.anonymous(),
                    PssstParameterSpec.authenticated((XECPrivateKey) CLIENT.getPrivate())}) {
                InvalidKeyException e = assertThrows(InvalidKeyException.class,
                        () -> keyAgreement().init(lowOrder, spec, new CountingRandom(1)), point + ", " + spec);
                assertInstanceOf(InvalidKeyMaterialException.class, e.getCause(), point);
            }
        }
    }

    @Test
    void transactionKeys_stepsOutOfOrder_invalidKey() throws Exception {
        SecretKey clientTx = client(new CountingRandom(5)).generateSecret("PSSST");
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> JcaFixtures.cipher(Cipher.DECRYPT_MODE, clientTx));
        assertTrue(e.getMessage().contains("cannot open its reply yet: seal its request first"), e.getMessage());
        KeyAgreement ka = server();
        ka.doPhase(SERVER.getPublic(), true);
        SecretKey serverTx = ka.generateSecret("PSSST");
        e = assertThrows(InvalidKeyException.class, () -> JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverTx));
        assertTrue(e.getMessage().contains("cannot seal its reply yet: open its request first"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PssstTransactionSpec(serverTx),
                "a server transaction has no parameters before its request is opened");
    }
}
