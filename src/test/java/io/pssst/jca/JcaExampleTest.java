package io.pssst.jca;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Security;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/jca.md, compiled and run. The code between the {@code // example:}
 * markers is the doc's code, line for line; {@link #docs_examplesAreTheCodeOfThisTest} checks
 * that every {@code java} block of docs/jca.md appears here.
 */
class JcaExampleTest {
    private static final Path DOC = Paths.get("docs/jca.md");
    private static final Path SOURCE = Paths.get("src/test/java/io/pssst/jca/JcaExampleTest.java");

    @Test
    void cipher_completeTransaction_anonymousAndAuthenticated() throws Exception {
        try {
            // example: cipher
            // Install once (or list it in java.security, or pass the provider object to getInstance).
            Security.addProvider(new PssstProvider());

            // Standard X25519 keys, e.g. from KeyPairGenerator "X25519" or io.pssst.PssstKeys.
            KeyPair server = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            KeyPair client = KeyPairGenerator.getInstance("X25519").generateKeyPair();

            // Client: seal a request (authenticated; without the spec it is anonymous).
            Cipher c = Cipher.getInstance("PSSST");
            c.init(Cipher.ENCRYPT_MODE, server.getPublic(),
                    PssstParameterSpec.authenticated((XECPrivateKey) client.getPrivate()), new SecureRandom());
            byte[] request = c.doFinal("ping".getBytes(UTF_8));
            PssstTransactionSpec clientTx = c.getParameters().getParameterSpec(PssstTransactionSpec.class);

            // Server: open it, see who sent it, seal the one reply.
            Cipher s = Cipher.getInstance("PSSST");
            s.init(Cipher.DECRYPT_MODE, server.getPrivate());
            byte[] received = s.doFinal(request);
            PssstTransactionSpec serverTx = s.getParameters().getParameterSpec(PssstTransactionSpec.class);
            Optional<XECPublicKey> who = serverTx.clientKey(); // the client's public key
            Cipher r = Cipher.getInstance("PSSST");
            r.init(Cipher.ENCRYPT_MODE, serverTx.transactionKey());
            byte[] reply = r.doFinal("pong".getBytes(UTF_8));

            // Client: open the reply, once.
            Cipher o = Cipher.getInstance("PSSST");
            o.init(Cipher.DECRYPT_MODE, clientTx.transactionKey());
            byte[] opened = o.doFinal(reply);
            // end of example

            assertArrayEquals("ping".getBytes(UTF_8), received);
            assertEquals(client.getPublic(), who.orElseThrow());
            assertArrayEquals("pong".getBytes(UTF_8), opened);
            assertEquals(request.length, 4 + 32 + 64 + 4 + 16);
        } finally {
            Security.removeProvider("PSSST");
        }
    }

    @Test
    void keyAgreement_completeTransaction() throws Exception {
        KeyPair server = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        PssstProvider provider = new PssstProvider();

        // example: key agreement
        // Client: a fresh transaction (its ephemeral key is drawn here), then seal its one request.
        KeyAgreement clientAgreement = KeyAgreement.getInstance("PSSST", provider);
        clientAgreement.init(server.getPublic(), PssstParameterSpec.anonymous(), new SecureRandom());
        SecretKey clientKey = clientAgreement.generateSecret("PSSST");
        Cipher sealRequest = Cipher.getInstance("PSSST", provider);
        sealRequest.init(Cipher.ENCRYPT_MODE, clientKey);
        byte[] request = sealRequest.doFinal("ping".getBytes(UTF_8));

        // Server: the request's dh_param (bytes 4..36, little-endian) as an X25519 public key.
        byte[] u = new byte[32];
        for (int i = 0; i < 32; i++) {
            u[i] = request[35 - i];
        }
        XECPublicKey dhParam = (XECPublicKey) KeyFactory.getInstance("X25519")
                .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, u)));
        KeyAgreement serverAgreement = KeyAgreement.getInstance("PSSST", provider);
        serverAgreement.init(server.getPrivate());
        serverAgreement.doPhase(dhParam, true); // the transaction's one X25519
        SecretKey serverKey = serverAgreement.generateSecret("PSSST");
        Cipher openRequest = Cipher.getInstance("PSSST", provider);
        openRequest.init(Cipher.DECRYPT_MODE, serverKey);
        byte[] received = openRequest.doFinal(request);
        Cipher sealReply = Cipher.getInstance("PSSST", provider);
        sealReply.init(Cipher.ENCRYPT_MODE, serverKey);
        byte[] reply = sealReply.doFinal("pong".getBytes(UTF_8));

        // Client: open the reply with the same transaction key.
        Cipher openReply = Cipher.getInstance("PSSST", provider);
        openReply.init(Cipher.DECRYPT_MODE, clientKey);
        byte[] opened = openReply.doFinal(reply);
        // end of example

        assertArrayEquals("ping".getBytes(UTF_8), received);
        assertArrayEquals("pong".getBytes(UTF_8), opened);
    }

    @Test
    void keyRotation_serverHonoursAPreviousKey() throws Exception {
        PssstProvider provider = new PssstProvider();
        KeyPair oldKey = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        KeyPair newKey = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        Cipher oldClient = Cipher.getInstance("PSSST", provider);
        oldClient.init(Cipher.ENCRYPT_MODE, oldKey.getPublic());
        byte[] request = oldClient.doFinal("ping".getBytes(UTF_8)); // a client that still uses the old key
        byte[] requestAgain = oldClient.doFinal("ping".getBytes(UTF_8));
        byte[] dhParam = java.util.Arrays.copyOfRange(requestAgain, 4, 36);

        // example: key rotation
        // The server's current key is the new one; requests sealed for the old one are still opened.
        PssstParameterSpec previous = PssstParameterSpec.previousServerKeys(List.of((XECPrivateKey) oldKey.getPrivate()));

        Cipher s = Cipher.getInstance("PSSST", provider);
        s.init(Cipher.DECRYPT_MODE, newKey.getPrivate(), previous);
        byte[] received = s.doFinal(request); // new key first; the old one only when the tag fails

        KeyAgreement ka = KeyAgreement.getInstance("PSSST", provider);
        ka.init(newKey.getPrivate(), previous);
        ka.doPhase(io.pssst.PssstKeys.publicKey(dhParam), true); // X25519 with the new key
        SecretKey tx = ka.generateSecret("PSSST");
        Cipher openRequest = Cipher.getInstance("PSSST", provider);
        openRequest.init(Cipher.DECRYPT_MODE, tx); // tries the old key when the new key's tag fails
        byte[] receivedAgain = openRequest.doFinal(requestAgain);
        // end of example

        assertArrayEquals("ping".getBytes(UTF_8), received);
        assertArrayEquals("ping".getBytes(UTF_8), receivedAgain);
        Cipher sealReply = Cipher.getInstance("PSSST", provider);
        sealReply.init(Cipher.ENCRYPT_MODE, tx);
        byte[] reply = sealReply.doFinal("pong".getBytes(UTF_8));
        Cipher openReply = Cipher.getInstance("PSSST", provider);
        openReply.init(Cipher.DECRYPT_MODE, oldClient.getParameters().getParameterSpec(PssstTransactionSpec.class)
                .transactionKey());
        assertArrayEquals("pong".getBytes(UTF_8), openReply.doFinal(reply), "the reply is sealed under the old key");
    }

    @Test
    void docs_examplesAreTheCodeOfThisTest() throws IOException {
        String source = normalise(Files.readString(SOURCE));
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        List<String> missing = new ArrayList<>();
        int count = 0;
        while (blocks.find()) {
            count++;
            if (!source.contains(normalise(blocks.group(1)))) {
                missing.add(blocks.group(1));
            }
        }
        assertEquals(3, count, "docs/jca.md has the three examples");
        assertTrue(missing.isEmpty(), () -> "docs/jca.md blocks not in " + SOURCE + ":\n" + missing);
    }

    /** Lines trimmed, blank lines dropped: indentation differs between the doc and the test. */
    private static String normalise(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
