package io.pssst.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstKeys;
import io.pssst.PssstX25519;
import io.pssst.testing.CountingX25519;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key rotation through the provider (issue 10, item 1): a server {@code Cipher} and a server
 * {@code KeyAgreement} given previous keys with {@link PssstParameterSpec#previousServerKeys}
 * open requests sealed for any key they hold, current key first, and answer each under the key
 * its client used; the spec is refused where it makes no sense.
 */
class PssstJcaKeyRotationTest {
    private static final TestKeys.Pair NEW = TestKeys.pair(701);
    private static final TestKeys.Pair OLD = TestKeys.pair(702);
    private static final TestKeys.Pair OLDER = TestKeys.pair(703);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(704);
    private static final TestKeys.Pair STRANGER = TestKeys.pair(705);
    private static final TestKeys.Pair[] HELD = {NEW, OLD, OLDER};
    private static final byte[] MESSAGE = "rotate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANSWER = "rotated".getBytes(StandardCharsets.US_ASCII);

    private static PssstParameterSpec previous() {
        return PssstParameterSpec.previousServerKeys(List.of(OLD.privateKey(), OLDER.privateKey()));
    }

    private static PssstParameterSpec client(boolean auth) {
        return auth ? PssstParameterSpec.authenticated(CLIENT.privateKey()) : PssstParameterSpec.anonymous();
    }

    /** A request for key {@code key} of {@link #HELD} (or the stranger's), sealed through a client Cipher. */
    private static Cipher sealRequest(TestKeys.Pair serverKey, boolean auth) throws Exception {
        return JcaFixtures.init(JcaFixtures.cipher(), Cipher.ENCRYPT_MODE, serverKey.publicKey(), client(auth),
                new JcaFixtures.CountingRandom(706));
    }

    @ParameterizedTest(name = "key {0}, auth={1}, {2}")
    @CsvSource({"0,false,array", "1,false,array", "2,true,array", "1,true,heapInPlace", "2,false,directInPlace",
        "1,false,direct"})
    void cipher_requestForAnyHeldKey_opensAndItsReplyOpensAtTheClient(int key, boolean auth, String form)
            throws Exception {
        Cipher client = sealRequest(HELD[key], auth);
        byte[] request = client.doFinal(MESSAGE);
        Cipher server = JcaFixtures.init(JcaFixtures.cipher(), Cipher.DECRYPT_MODE, NEW.privateKey(), previous(), null);
        byte[] opened = open(server, request, form);
        assertArrayEquals(MESSAGE, opened);
        PssstTransactionSpec serverTx = JcaFixtures.transaction(server);
        assertEquals(auth ? PssstKeys.toHex(CLIENT.publicKey()) : "anonymous",
                serverTx.clientKey().isPresent() ? PssstKeys.toHex(serverTx.clientKey().get()) : "anonymous");
        byte[] reply = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverTx.transactionKey()).doFinal(ANSWER);
        assertArrayEquals(ANSWER, JcaFixtures.cipher(Cipher.DECRYPT_MODE,
                JcaFixtures.transaction(client).transactionKey()).doFinal(reply));
    }

    private static byte[] open(Cipher server, byte[] request, String form) throws Exception {
        switch (form) {
            case "array":
                return server.doFinal(request);
            case "direct": {
                ByteBuffer out = ByteBuffer.allocateDirect(request.length);
                server.doFinal(ByteBuffer.wrap(request), out);
                return bytes(out.flip());
            }
            default: {
                ByteBuffer b = form.startsWith("direct") ? ByteBuffer.allocateDirect(request.length)
                        : ByteBuffer.allocate(request.length);
                b.put(request).flip();
                ByteBuffer out = b.duplicate();
                int n = server.doFinal(b, out);
                return bytes(out.flip().position(0).limit(n));
            }
        }
    }

    /** The server KeyAgreement derives keys for the current key at doPhase; the Cipher tries the previous ones. */
    @ParameterizedTest(name = "key {0}, auth={1}")
    @CsvSource({"0,false", "1,true", "2,false", "2,true"})
    void keyAgreement_requestForAnyHeldKey_opensThroughTheTransactionKey(int key, boolean auth) throws Exception {
        Cipher client = sealRequest(HELD[key], auth);
        byte[] request = client.doFinal(MESSAGE);
        KeyAgreement ka = JcaFixtures.keyAgreement();
        ka.init(NEW.privateKey(), previous());
        ka.doPhase(PssstKeys.publicKey(JcaFixtures.dhParam(request)), true);
        SecretKey serverTx = ka.generateSecret("PSSST");
        assertArrayEquals(MESSAGE, JcaFixtures.cipher(Cipher.DECRYPT_MODE, serverTx).doFinal(request));
        byte[] reply = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, serverTx).doFinal(ANSWER);
        assertArrayEquals(ANSWER, JcaFixtures.cipher(Cipher.DECRYPT_MODE,
                JcaFixtures.transaction(client).transactionKey()).doFinal(reply));
    }

    @Test
    void requestForAKeyNotHeld_refusedAsDecryptFailed_cipherStaysUsable() throws Exception {
        byte[] stranger = sealRequest(STRANGER, false).doFinal(MESSAGE);
        Cipher server = JcaFixtures.init(JcaFixtures.cipher(), Cipher.DECRYPT_MODE, NEW.privateKey(), previous(), null);
        JcaFixtures.assertRefused(List.of("decrypt-failed"), assertThrows(Exception.class, () -> server.doFinal(stranger)));
        assertArrayEquals(MESSAGE, server.doFinal(sealRequest(OLDER, true).doFinal(MESSAGE)));

        KeyAgreement ka = JcaFixtures.keyAgreement();
        ka.init(NEW.privateKey(), previous());
        ka.doPhase(PssstKeys.publicKey(JcaFixtures.dhParam(stranger)), true);
        Cipher open = JcaFixtures.cipher(Cipher.DECRYPT_MODE, ka.generateSecret("PSSST"));
        JcaFixtures.assertRefused(List.of("decrypt-failed"), assertThrows(Exception.class, () -> open.doFinal(stranger)));
    }

    /** Without the spec (or with an empty list) an old key's request is refused: the spec is what honours it. */
    @Test
    void withoutPreviousKeys_oldKeysRequestRefused() throws Exception {
        byte[] old = sealRequest(OLD, false).doFinal(MESSAGE);
        for (PssstParameterSpec spec : new PssstParameterSpec[] {null, PssstParameterSpec.previousServerKeys(List.of())}) {
            Cipher server = JcaFixtures.init(JcaFixtures.cipher(), Cipher.DECRYPT_MODE, NEW.privateKey(), spec, null);
            JcaFixtures.assertRefused(List.of("decrypt-failed"), assertThrows(Exception.class, () -> server.doFinal(old)));
        }
    }

    /** The cost through the JCA: one X25519 per key tried, as through the native API. */
    @ParameterizedTest(name = "key {0}")
    @CsvSource({"0,1", "1,2", "2,3"})
    void x25519Count_onePerKeyTried(int key, int expected) throws Exception {
        byte[] request = sealRequest(HELD[key], false).doFinal(MESSAGE);
        byte[] stranger = sealRequest(STRANGER, false).doFinal(MESSAGE);
        PssstX25519 jdk = PssstX25519.JDK;
        Cipher server = Cipher.getInstance("PSSST", new PssstProvider(jdk));
        KeyAgreement ka = KeyAgreement.getInstance("PSSST", new PssstProvider(jdk));
        try (CountingX25519 x = CountingX25519.install()) {
            server.init(Cipher.DECRYPT_MODE, NEW.privateKey(), previous());
            assertEquals(0, x.take(), "init");
            server.doFinal(request);
            assertEquals(expected, x.take(), "Cipher");
            assertThrows(Exception.class, () -> server.doFinal(stranger));
            assertEquals(3, x.take(), "a request for no key held: one per key held");

            ka.init(NEW.privateKey(), previous());
            ka.doPhase(PssstKeys.publicKey(JcaFixtures.dhParam(request)), true);
            assertEquals(1, x.take(), "doPhase: the current key");
            JcaFixtures.cipher(Cipher.DECRYPT_MODE, ka.generateSecret("PSSST")).doFinal(request);
            assertEquals(expected - 1, x.take(), "opening: the previous keys tried");
        }
    }

    @Test
    void spec_refusedWhereItMakesNoSense() throws Exception {
        PssstParameterSpec server = previous();
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> JcaFixtures.cipher().init(Cipher.ENCRYPT_MODE, NEW.publicKey(), server));
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> JcaFixtures.keyAgreement().init(NEW.publicKey(), server));
        for (PssstParameterSpec clientSpec : new PssstParameterSpec[] {client(false), client(true)}) {
            assertThrows(InvalidAlgorithmParameterException.class,
                    () -> JcaFixtures.cipher().init(Cipher.DECRYPT_MODE, NEW.privateKey(), clientSpec));
            assertThrows(InvalidAlgorithmParameterException.class,
                    () -> JcaFixtures.keyAgreement().init(NEW.privateKey(), clientSpec));
        }
        Cipher client = sealRequest(NEW, false);
        client.doFinal(MESSAGE);
        assertThrows(InvalidAlgorithmParameterException.class, () -> JcaFixtures.cipher().init(Cipher.DECRYPT_MODE,
                JcaFixtures.transaction(client).transactionKey(), server));

        KeyPairGenerator x448 = KeyPairGenerator.getInstance("XDH");
        x448.initialize(NamedParameterSpec.X448);
        PssstParameterSpec withX448 = PssstParameterSpec.previousServerKeys(
                List.of(OLD.privateKey(), (XECPrivateKey) x448.generateKeyPair().getPrivate()));
        InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
                () -> JcaFixtures.cipher().init(Cipher.DECRYPT_MODE, NEW.privateKey(), withX448));
        assertTrue(e.getMessage().contains("previous server key 1"), e.getMessage());
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> JcaFixtures.keyAgreement().init(NEW.privateKey(), withX448));

        List<XECPrivateKey> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> PssstParameterSpec.previousServerKeys(withNull));
        assertThrows(NullPointerException.class, () -> PssstParameterSpec.previousServerKeys(null));
    }

    @Test
    void spec_isImmutable_andShowsNoKey() {
        List<XECPrivateKey> keys = new ArrayList<>(List.of(OLD.privateKey(), OLDER.privateKey()));
        PssstParameterSpec spec = PssstParameterSpec.previousServerKeys(keys);
        keys.clear();
        assertEquals(2, spec.previousServerKeys().size());
        assertThrows(UnsupportedOperationException.class, () -> spec.previousServerKeys().clear());
        assertTrue(spec.isServer());
        assertFalse(spec.isAuthenticated());
        assertEquals(Optional.empty(), spec.clientKey());
        assertEquals("PssstParameterSpec[server, 2 previous keys]", spec.toString());
        assertFalse(PssstParameterSpec.anonymous().isServer());
        assertEquals(List.of(), PssstParameterSpec.authenticated(CLIENT.privateKey()).previousServerKeys());
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
