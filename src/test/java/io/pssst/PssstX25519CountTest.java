package io.pssst;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.jca.PssstParameterSpec;
import io.pssst.jca.PssstProvider;
import io.pssst.jca.PssstTransactionSpec;
import io.pssst.testing.CountingX25519;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.security.GeneralSecurityException;
import java.security.Key;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * How many X25519 operations each step costs, counted by a {@code KeyAgreement "X25519"}
 * provider installed ahead of SunEC. An authenticated client computes X25519(c, S) once, when
 * it is made (with its own public key X25519(c, 9)), never per request; every request costs
 * the client two operations (dh_param and the shared secret) with or without client auth;
 * the server one per request, plus one to check an authenticated request's proof; replies
 * none. The same through the native API, {@code Cipher} and {@code KeyAgreement}.
 */
class PssstX25519CountTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(81);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(82);
    private static final byte[] MESSAGE = "ping".getBytes(UTF_8);
    private static final PssstProvider PROVIDER = new PssstProvider(PssstX25519.JDK); // it counts the JDK's X25519

    @Test
    void nativeApi_staticSecretOnce_twoPerRequest_onePlusProofOnServer_noneForReplies() throws Exception {
        try (CountingX25519 x25519 = CountingX25519.install()) {
            PssstServer server = PssstServer.create(SERVER.privateKey(), PssstX25519.JDK);
            PssstClient anonymous = PssstClient.anonymous(SERVER.publicKey(), PssstX25519.JDK).withRandom(SeededRandom.of(1));
            assertEquals(0, x25519.take(), "making a server or an anonymous client");
            PssstClient authenticated = PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey(), PssstX25519.JDK)
                    .withRandom(SeededRandom.of(2));
            assertEquals(2, x25519.take(), "making an authenticated client: C = X25519(c, 9), CS = X25519(c, S)");

            for (PssstClient client : new PssstClient[] {anonymous, authenticated}) {
                String who = client.isAuthenticated() ? "authenticated" : "anonymous";
                for (int i = 0; i < 3; i++) {
                    PackedRequest request = client.pack(MESSAGE);
                    assertEquals(2, x25519.take(), who + " request " + i + ": dh_param and the shared secret");
                    ReceivedRequest received = server.open(request.datagram());
                    assertEquals(client.isAuthenticated() ? 2 : 1, x25519.take(),
                            who + " request opened: X25519(s, dh_param)" + (client.isAuthenticated() ? " and the proof" : ""));
                    byte[] reply = received.seal(MESSAGE);
                    assertArrayEquals(MESSAGE, request.openReply(reply));
                    assertEquals(0, x25519.take(), who + " reply sealed and opened");
                }
            }
        }
    }

    @Test
    void cipher_staticSecretOnceAtInit_twoPerRequest_noneForReplies() throws Exception {
        try (CountingX25519 x25519 = CountingX25519.install()) {
            Cipher server = cipher(Cipher.DECRYPT_MODE, SERVER.privateKey());
            Cipher anonymous = cipher(Cipher.ENCRYPT_MODE, SERVER.publicKey());
            assertEquals(0, x25519.take(), "init of a server or an anonymous client");
            Cipher authenticated = Cipher.getInstance("PSSST", PROVIDER);
            authenticated.init(Cipher.ENCRYPT_MODE, SERVER.publicKey(), PssstParameterSpec.authenticated(CLIENT.privateKey()),
                    SeededRandom.of(3));
            assertEquals(2, x25519.take(), "init of an authenticated client: C and CS, once");

            for (Cipher client : new Cipher[] {anonymous, authenticated}) {
                boolean auth = client == authenticated;
                for (int i = 0; i < 3; i++) {
                    byte[] request = client.doFinal(MESSAGE);
                    assertEquals(2, x25519.take(), "request " + i);
                    server.doFinal(request);
                    assertEquals(auth ? 2 : 1, x25519.take(), "request " + i + " opened");
                    byte[] reply = cipher(Cipher.ENCRYPT_MODE, transactionKey(server)).doFinal(MESSAGE);
                    assertArrayEquals(MESSAGE, cipher(Cipher.DECRYPT_MODE, transactionKey(client)).doFinal(reply));
                    assertEquals(0, x25519.take(), "reply " + i + " sealed and opened");
                }
            }
        }
    }

    @Test
    void keyAgreement_staticSecretOnceAtInit_twoPerTransaction_oneAtDoPhase() throws Exception {
        try (CountingX25519 x25519 = CountingX25519.install()) {
            KeyAgreement client = KeyAgreement.getInstance("PSSST", PROVIDER);
            client.init(SERVER.publicKey(), PssstParameterSpec.authenticated(CLIENT.privateKey()), SeededRandom.of(4));
            assertEquals(2, x25519.take(), "init of an authenticated client: C and CS, once");
            for (int i = 0; i < 3; i++) {
                SecretKey clientTx = client.generateSecret("PSSST");
                assertEquals(2, x25519.take(), "transaction " + i + ": dh_param and the shared secret");
                byte[] request = cipher(Cipher.ENCRYPT_MODE, clientTx).doFinal(MESSAGE);
                KeyAgreement server = KeyAgreement.getInstance("PSSST", PROVIDER);
                server.init(SERVER.privateKey());
                server.doPhase(PssstKeys.publicKey(java.util.Arrays.copyOfRange(request, 4, 36)), true);
                SecretKey serverTx = server.generateSecret("PSSST");
                assertEquals(1, x25519.take(), "doPhase: X25519(s, dh_param)");
                cipher(Cipher.DECRYPT_MODE, serverTx).doFinal(request);
                assertEquals(1, x25519.take(), "the authenticated request's proof");
                byte[] reply = cipher(Cipher.ENCRYPT_MODE, serverTx).doFinal(MESSAGE);
                cipher(Cipher.DECRYPT_MODE, clientTx).doFinal(reply);
                assertEquals(0, x25519.take(), "reply " + i + " sealed and opened");
            }
        }
    }

    private static Cipher cipher(int mode, Key key) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("PSSST", PROVIDER);
        c.init(mode, key, SeededRandom.of(5));
        return c;
    }

    private static SecretKey transactionKey(Cipher c) throws GeneralSecurityException {
        return c.getParameters().getParameterSpec(PssstTransactionSpec.class).transactionKey();
    }
}
