package io.pssst.jca;

import io.pssst.testing.RequiresSharedData;
import static io.pssst.jca.JcaFixtures.assertRefused;
import static io.pssst.jca.JcaFixtures.cipher;
import static io.pssst.jca.JcaFixtures.clientAgreement;
import static io.pssst.jca.JcaFixtures.clientCipher;
import static io.pssst.jca.JcaFixtures.dhParam;
import static io.pssst.jca.JcaFixtures.serverAgreement;
import static io.pssst.jca.JcaFixtures.serverPrivate;
import static io.pssst.jca.JcaFixtures.transaction;
import static io.pssst.testing.InteropVectors.CLIENT_INVALID;
import static io.pssst.testing.InteropVectors.SERVER_INVALID;
import static io.pssst.testing.InteropVectors.TRANSACTIONS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.testing.InteropVectors.Invalid;
import io.pssst.testing.InteropVectors.Transaction;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared interop vectors through {@code Cipher "PSSST"} alone and through
 * {@code KeyAgreement "PSSST"} + {@code Cipher}, both roles, byte for byte; every invalid
 * packet refused with its listed reason as the cause.
 */
@RequiresSharedData
class PssstJcaVectorsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void cipher_clientSealsRequestAndOpensReply_byteForByte(Transaction v) throws Exception {
        Cipher client = clientCipher(v);
        assertArrayEquals(v.request(), client.doFinal(v.requestMessage()), "request datagram");
        PssstTransactionSpec tx = transaction(client);
        assertArrayEquals(dhParam(v.request()), tx.requestId());
        assertClientKey(v, tx);

        Cipher opener = cipher();
        opener.init(Cipher.DECRYPT_MODE, tx.transactionKey());
        assertArrayEquals(v.replyMessage(), opener.doFinal(v.reply()), "reply message");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void cipher_serverOpensRequestAndSealsReply_byteForByte(Transaction v) throws Exception {
        Cipher server = cipher();
        server.init(Cipher.DECRYPT_MODE, serverPrivate(v));
        assertArrayEquals(v.requestMessage(), server.doFinal(v.request()), "request message");
        PssstTransactionSpec tx = transaction(server);
        assertArrayEquals(dhParam(v.request()), tx.requestId());
        assertClientKey(v, tx);

        Cipher sealer = cipher();
        sealer.init(Cipher.ENCRYPT_MODE, tx.transactionKey());
        assertArrayEquals(v.reply(), sealer.doFinal(v.replyMessage()), "reply datagram");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void keyAgreement_clientSealsRequestAndOpensReply_byteForByte(Transaction v) throws Exception {
        SecretKey tx = clientAgreement(v);
        Cipher sealer = cipher();
        sealer.init(Cipher.ENCRYPT_MODE, tx);
        assertEquals(v.request().length, sealer.getOutputSize(v.requestMessage().length));
        assertArrayEquals(v.request(), sealer.doFinal(v.requestMessage()), "request datagram");
        assertArrayEquals(dhParam(v.request()), transaction(sealer).requestId());

        Cipher opener = cipher();
        opener.init(Cipher.DECRYPT_MODE, tx);
        assertArrayEquals(v.replyMessage(), opener.doFinal(v.reply()), "reply message");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(TRANSACTIONS)
    void keyAgreement_serverOpensRequestAndSealsReply_byteForByte(Transaction v) throws Exception {
        SecretKey tx = serverAgreement(v, dhParam(v.request()));
        Cipher opener = cipher();
        opener.init(Cipher.DECRYPT_MODE, tx);
        assertArrayEquals(v.requestMessage(), opener.doFinal(v.request()), "request message");
        PssstTransactionSpec spec = transaction(opener);
        assertEquals(tx, spec.transactionKey());
        assertClientKey(v, spec);

        Cipher sealer = cipher();
        sealer.init(Cipher.ENCRYPT_MODE, tx);
        assertArrayEquals(v.reply(), sealer.doFinal(v.replyMessage()), "reply datagram");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SERVER_INVALID)
    void cipher_serverRefusesInvalid_withListedReason(Invalid v) throws Exception {
        Cipher server = cipher();
        server.init(Cipher.DECRYPT_MODE, serverPrivate(v.base()));
        assertRefused(v.errors(), assertThrows(BadPaddingException.class, () -> server.doFinal(v.packet())));
        assertArrayEquals(v.base().requestMessage(), server.doFinal(v.base().request()),
                "the cipher stays usable after a refusal");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SERVER_INVALID)
    void keyAgreement_serverRefusesInvalid_withListedReason(Invalid v) throws Exception {
        byte[] dh = v.packet().length >= 36 ? dhParam(v.packet()) : dhParam(v.base().request());
        if (v.errors().contains("invalid-key")) {
            KeyAgreement ka = JcaFixtures.keyAgreement();
            ka.init(serverPrivate(v.base()));
            InvalidKeyException e = assertThrows(InvalidKeyException.class,
                    () -> ka.doPhase(PssstKeys.publicKey(dh), true));
            assertInstanceOf(InvalidKeyMaterialException.class, e.getCause());
            assertEquals(PssstException.Reason.INVALID_KEY, ((PssstException) e.getCause()).reason());
            return;
        }
        SecretKey tx = serverAgreement(v.base(), dh);
        Cipher opener = cipher();
        opener.init(Cipher.DECRYPT_MODE, tx);
        assertRefused(v.errors(), assertThrows(BadPaddingException.class, () -> opener.doFinal(v.packet())));
        if (Arrays.equals(dh, dhParam(v.base().request()))) {
            assertArrayEquals(v.base().requestMessage(), opener.doFinal(v.base().request()),
                    "a refused packet must not use up the transaction key");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(CLIENT_INVALID)
    void clientRefusesInvalid_thenAcceptsGenuine_throughCipherAndKeyAgreement(Invalid v) throws Exception {
        for (boolean viaKeyAgreement : new boolean[] {false, true}) {
            Cipher sealer = viaKeyAgreement ? JcaFixtures.cipher(Cipher.ENCRYPT_MODE, clientAgreement(v.base()))
                    : clientCipher(v.base());
            assertArrayEquals(v.base().request(), sealer.doFinal(v.base().requestMessage()));
            Cipher opener = JcaFixtures.cipher(Cipher.DECRYPT_MODE, transaction(sealer).transactionKey());
            assertRefused(v.errors(), assertThrows(BadPaddingException.class, () -> opener.doFinal(v.packet())));
            assertArrayEquals(v.base().replyMessage(), opener.doFinal(v.base().reply()),
                    "a refused forgery must not use up the reply context");
        }
    }

    /** The spec names the vector's client key (both roles), or none for an anonymous request. */
    private static void assertClientKey(Transaction v, PssstTransactionSpec spec) throws PssstException {
        if (v.clientPublic() == null) {
            assertFalse(spec.clientKey().isPresent());
        } else {
            assertArrayEquals(v.clientPublic(), PssstKeys.toRaw(spec.clientKey().orElseThrow()));
        }
    }
}
