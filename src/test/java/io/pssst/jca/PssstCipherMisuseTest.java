package io.pssst.jca;

import static io.pssst.jca.JcaFixtures.cipher;
import static io.pssst.jca.JcaFixtures.transaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstKeys;
import io.pssst.jca.JcaFixtures.CountingRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Misuse of {@code Cipher "PSSST"}: each refused with the standard JCA exception and a clear message. */
class PssstCipherMisuseTest {
    private static final KeyPair SERVER = PssstKeys.generateKeyPair();
    private static final KeyPair CLIENT = PssstKeys.generateKeyPair();
    private static final byte[] MESSAGE = "ping".getBytes(StandardCharsets.UTF_8);

    private static XECPublicKey serverPublic() {
        return (XECPublicKey) SERVER.getPublic();
    }

    private static XECPrivateKey serverPrivate() {
        return (XECPrivateKey) SERVER.getPrivate();
    }

    @Test
    void uninitialised_everyOperation_illegalState() throws Exception {
        Cipher c = cipher();
        assertThrows(IllegalStateException.class, () -> c.doFinal(MESSAGE));
        assertThrows(IllegalStateException.class, () -> c.update(MESSAGE));
        assertThrows(IllegalStateException.class, () -> c.getOutputSize(4));
        assertNull(c.getParameters());
        assertEquals(0, c.getBlockSize());
        assertNull(c.getIV());
    }

    @Test
    void getInstance_modeOrPaddingOtherThanNone_refused() throws Exception {
        assertThrows(NoSuchAlgorithmException.class, () -> Cipher.getInstance("PSSST/CBC/NoPadding", JcaFixtures.PROVIDER));
        assertThrows(NoSuchPaddingException.class, () -> Cipher.getInstance("PSSST/NONE/PKCS5Padding", JcaFixtures.PROVIDER));
        Cipher c = Cipher.getInstance("PSSST/NONE/NoPadding", JcaFixtures.PROVIDER);
        c.init(Cipher.ENCRYPT_MODE, serverPublic());
        assertEquals(MESSAGE.length + 52, c.doFinal(MESSAGE).length);
    }

    @Test
    void init_keyForTheOtherMode_invalidKey() throws Exception {
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.ENCRYPT_MODE, serverPrivate()));
        assertTrue(e.getMessage().startsWith("ENCRYPT_MODE takes the server's XECPublicKey"), e.getMessage());
        e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.DECRYPT_MODE, serverPublic()));
        assertTrue(e.getMessage().startsWith("DECRYPT_MODE takes the server's XECPrivateKey"), e.getMessage());
    }

    @Test
    void init_foreignKeys_invalidKey() throws Exception {
        SecretKey aes = new SecretKeySpec(new byte[16], "AES");
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.DECRYPT_MODE, aes));
        assertTrue(e.getMessage().contains("not a key of algorithm AES"), e.getMessage());
        KeyPair x448 = KeyPairGenerator.getInstance("X448").generateKeyPair();
        e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.ENCRYPT_MODE, x448.getPublic()));
        assertInstanceOf(InvalidKeyMaterialException.class, e.getCause());
        assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.DECRYPT_MODE, x448.getPrivate()));
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.ENCRYPT_MODE, ed.getPublic()));
        assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.ENCRYPT_MODE, (java.security.Key) null));
    }

    @Test
    void init_wrongParameters_invalidAlgorithmParameter() throws Exception {
        KeyPairGenerator x448 = KeyPairGenerator.getInstance("XDH");
        x448.initialize(NamedParameterSpec.X448);
        XECPrivateKey x448Client = (XECPrivateKey) x448.generateKeyPair().getPrivate();
        assertThrows(InvalidAlgorithmParameterException.class, () -> cipher().init(Cipher.ENCRYPT_MODE, serverPublic(),
                PssstParameterSpec.authenticated(x448Client)));
        assertThrows(InvalidAlgorithmParameterException.class, () -> cipher().init(Cipher.ENCRYPT_MODE, serverPublic(),
                new GCMParameterSpec(128, new byte[12])));
        assertThrows(InvalidAlgorithmParameterException.class, () -> cipher().init(Cipher.DECRYPT_MODE, serverPrivate(),
                PssstParameterSpec.anonymous()));
        Cipher client = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverPublic());
        client.doFinal(MESSAGE);
        AlgorithmParameters params = client.getParameters();
        assertThrows(InvalidAlgorithmParameterException.class, () -> cipher().init(Cipher.DECRYPT_MODE,
                transaction(client).transactionKey(), params));
        assertThrows(InvalidAlgorithmParameterException.class, () -> cipher().init(Cipher.DECRYPT_MODE,
                transaction(client).transactionKey(), PssstParameterSpec.anonymous(), null));
    }

    @Test
    void init_wrapModes_unsupported() throws Exception {
        assertThrows(UnsupportedOperationException.class, () -> cipher().init(Cipher.WRAP_MODE, serverPublic()));
        assertThrows(UnsupportedOperationException.class, () -> cipher().init(Cipher.UNWRAP_MODE, serverPrivate()));
    }

    @Test
    void updateAAD_unsupported() throws Exception {
        Cipher c = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverPublic());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> c.updateAAD(MESSAGE));
        assertTrue(e.getMessage().contains("own 4-byte header"), e.getMessage());
    }

    @Test
    void clientCipher_reused_newTransactionWithFreshEphemeralEachTime() throws Exception {
        CountingRandom random = new CountingRandom(1);
        Cipher client = cipher();
        client.init(Cipher.ENCRYPT_MODE, serverPublic(), PssstParameterSpec.authenticated((XECPrivateKey) CLIENT.getPrivate()), random);
        assertNull(client.getParameters(), "no transaction before the first request");
        assertEquals(0, random.drawn(), "init draws nothing");
        byte[] first = client.doFinal(MESSAGE);
        PssstTransactionSpec firstTx = transaction(client);
        assertEquals(32, random.drawn());
        byte[] second = client.doFinal(MESSAGE);
        PssstTransactionSpec secondTx = transaction(client);
        assertEquals(64, random.drawn(), "exactly 32 bytes per request");
        assertFalse(Arrays.equals(firstTx.requestId(), secondTx.requestId()));
        assertNotEquals(firstTx.transactionKey(), secondTx.transactionKey());

        Cipher server = JcaFixtures.cipher(Cipher.DECRYPT_MODE, serverPrivate());
        for (byte[] request : new byte[][] {second, first}) {
            assertArrayEquals(MESSAGE, server.doFinal(request));
            assertEquals(CLIENT.getPublic(), transaction(server).clientKey().orElseThrow());
            byte[] reply = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, transaction(server).transactionKey()).doFinal(request);
            PssstTransactionSpec tx = request == first ? firstTx : secondTx;
            assertArrayEquals(request, JcaFixtures.cipher(Cipher.DECRYPT_MODE, tx.transactionKey()).doFinal(reply));
        }
    }

    /**
     * A reusable cipher destroys the transactions it made and never handed out (nothing can
     * reach them once the next datagram replaces them); one handed out by getParameters
     * belongs to the caller and outlives any number of later datagrams.
     */
    @Test
    void reusableCipher_handedOutTransactionsOutliveLaterDatagrams() throws Exception {
        Cipher client = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverPublic());
        Cipher server = JcaFixtures.cipher(Cipher.DECRYPT_MODE, serverPrivate());
        byte[] request = client.doFinal(MESSAGE);
        SecretKey clientTx = transaction(client).transactionKey();
        server.doFinal(request);
        SecretKey serverTx = transaction(server).transactionKey();
        for (int i = 0; i < 3; i++) {
            server.doFinal(client.doFinal(MESSAGE)); // made and dropped, never handed out
        }
        assertFalse(clientTx.isDestroyed());
        assertFalse(serverTx.isDestroyed());
        byte[] reply = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverTx).doFinal(MESSAGE);
        assertArrayEquals(MESSAGE, JcaFixtures.cipher(Cipher.DECRYPT_MODE, clientTx).doFinal(reply));
        SecretKey last = transaction(server).transactionKey();
        server.init(Cipher.DECRYPT_MODE, serverPrivate());
        assertFalse(last.isDestroyed(), "init forgets a handed-out transaction without destroying it");
    }

    @Test
    void replyContexts_singleUse_refusedAtInitAndAtDoFinal() throws Exception {
        Cipher client = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverPublic());
        byte[] request = client.doFinal(MESSAGE);
        SecretKey clientTx = transaction(client).transactionKey();
        Cipher server = JcaFixtures.cipher(Cipher.DECRYPT_MODE, serverPrivate());
        server.doFinal(request);
        SecretKey serverTx = transaction(server).transactionKey();

        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.ENCRYPT_MODE, clientTx));
        assertTrue(e.getMessage().contains("cannot seal its request again"), e.getMessage());
        e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.DECRYPT_MODE, serverTx));
        assertTrue(e.getMessage().contains("cannot open its request again"), e.getMessage());

        Cipher sealer = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverTx);
        Cipher racingSealer = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverTx);
        byte[] reply = sealer.doFinal(MESSAGE);
        IllegalStateException finished = assertThrows(IllegalStateException.class, () -> sealer.doFinal(MESSAGE));
        assertTrue(finished.getMessage().contains("init it with a new key"), finished.getMessage());
        IllegalStateException raced = assertThrows(IllegalStateException.class, () -> racingSealer.doFinal(MESSAGE));
        assertTrue(raced.getMessage().contains("cannot seal its reply again"), raced.getMessage());
        e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.ENCRYPT_MODE, serverTx));
        assertTrue(e.getMessage().contains("reply contexts are single-use"), e.getMessage());

        Cipher opener = JcaFixtures.cipher(Cipher.DECRYPT_MODE, clientTx);
        Cipher racingOpener = JcaFixtures.cipher(Cipher.DECRYPT_MODE, clientTx);
        assertArrayEquals(MESSAGE, opener.doFinal(reply));
        assertThrows(IllegalStateException.class, () -> opener.doFinal(reply));
        assertThrows(IllegalStateException.class, () -> racingOpener.doFinal(reply));
        e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.DECRYPT_MODE, clientTx));
        assertTrue(e.getMessage().contains("cannot open its reply again: reply contexts are single-use"), e.getMessage());
    }

    @Test
    void destroyedTransactionKey_refused() throws Exception {
        Cipher client = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverPublic());
        byte[] request = client.doFinal(MESSAGE);
        SecretKey tx = transaction(client).transactionKey();
        Cipher opener = JcaFixtures.cipher(Cipher.DECRYPT_MODE, tx);
        tx.destroy();
        assertTrue(tx.isDestroyed());
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> cipher().init(Cipher.DECRYPT_MODE, tx));
        assertTrue(e.getMessage().contains("destroyed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> opener.doFinal(request));
        assertNull(client.getParameters(), "no parameters for a destroyed transaction");
    }

    /** Every encoding of every low-order point, anonymous or authenticated: refused at init, before any request. */
    @Test
    void init_lowOrderServerKey_everyEncoding_invalidKeyWithInvalidKeyCause() throws Exception {
        for (String point : TestKeys.LOW_ORDER) {
            XECPublicKey lowOrder = PssstKeys.publicKey(TestKeys.lowOrder(point));
            for (PssstParameterSpec spec : new PssstParameterSpec[] {PssstParameterSpec.anonymous(),
                    PssstParameterSpec.authenticated((XECPrivateKey) CLIENT.getPrivate())}) {
                CountingRandom random = new CountingRandom(1);
                InvalidKeyException e = assertThrows(InvalidKeyException.class,
                        () -> cipher().init(Cipher.ENCRYPT_MODE, lowOrder, spec, random), point + ", " + spec);
                assertInstanceOf(InvalidKeyMaterialException.class, e.getCause(), point);
                assertTrue(e.getMessage().contains("low-order"), e.getMessage());
                assertEquals(0, random.drawn());
            }
        }
    }

    @Test
    void doFinal_readOnlyOutput_refused() throws Exception {
        Cipher c = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverPublic());
        ByteBuffer out = ByteBuffer.allocate(100).asReadOnlyBuffer();
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> c.doFinal(ByteBuffer.wrap(MESSAGE), out));
    }
}
