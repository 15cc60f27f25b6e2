package io.pssst.jca;

import static io.pssst.jca.JcaFixtures.transaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstKeys;
import io.pssst.internal.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The transaction key, its spec and {@code AlgorithmParameters "PSSST"}: nothing secret leaves them. */
class PssstTransactionKeyTest {
    private static final KeyPair SERVER = PssstKeys.generateKeyPair();
    private static final KeyPair CLIENT = PssstKeys.generateKeyPair();
    private static final byte[] MESSAGE = "ping".getBytes(StandardCharsets.UTF_8);

    private static Cipher sealedRequest(byte[][] request) throws Exception {
        Cipher client = JcaFixtures.cipher();
        client.init(Cipher.ENCRYPT_MODE, SERVER.getPublic(),
                PssstParameterSpec.authenticated((XECPrivateKey) CLIENT.getPrivate()));
        request[0] = client.doFinal(MESSAGE);
        return client;
    }

    @Test
    void transactionKey_exposesNoKeyBytes() throws Exception {
        SecretKey key = transaction(sealedRequest(new byte[1][])).transactionKey();
        assertEquals("PSSST", key.getAlgorithm());
        assertNull(key.getEncoded());
        assertNull(key.getFormat());
        assertTrue(key.toString().startsWith("PssstTransactionKey[client, request "), key.toString());
        assertThrows(NotSerializableException.class,
                () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(key));
    }

    @Test
    void spec_describesTheTransaction_withoutSecrets() throws Exception {
        byte[][] request = new byte[1][];
        Cipher client = sealedRequest(request);
        PssstTransactionSpec spec = transaction(client);
        assertArrayEquals(JcaFixtures.dhParam(request[0]), spec.requestId());
        assertNotSame(spec.requestId(), spec.requestId(), "a copy each call");
        assertEquals(CLIENT.getPublic(), spec.clientKey().orElseThrow(), "the client's own key");
        String text = spec + " " + client.getParameters() + " " + spec.transactionKey();
        assertFalse(text.contains(Bytes.hex(spec.requestId())), "only a prefix of the request id: " + text);
        assertTrue(text.contains("authenticated"), text);
        assertThrows(IllegalArgumentException.class, () -> new PssstTransactionSpec(new SecretKeySpec(new byte[16], "AES")));
        assertEquals("PssstParameterSpec[authenticated]",
                PssstParameterSpec.authenticated((XECPrivateKey) CLIENT.getPrivate()).toString());
    }

    @Test
    void algorithmParameters_noEncodingEitherWay() throws Exception {
        AlgorithmParameters params = sealedRequest(new byte[1][]).getParameters();
        assertEquals("PSSST", params.getAlgorithm());
        IOException e = assertThrows(IOException.class, params::getEncoded);
        assertTrue(e.getMessage().contains("have no encoding"), e.getMessage());
        assertThrows(IOException.class, () -> params.getEncoded("ASN.1"));
        AlgorithmParameters fresh = AlgorithmParameters.getInstance("PSSST", JcaFixtures.PROVIDER);
        assertThrows(IOException.class, () -> fresh.init(new byte[32]));
        assertThrows(InvalidParameterSpecException.class, () -> fresh.init(new GCMParameterSpec(128, new byte[12])));
        assertThrows(InvalidParameterSpecException.class, () -> params.getParameterSpec(GCMParameterSpec.class));
        PssstTransactionSpec spec = params.getParameterSpec(PssstTransactionSpec.class);
        assertSame(spec, params.getParameterSpec(AlgorithmParameterSpec.class));
        fresh.init(spec);
        assertSame(spec.transactionKey(), fresh.getParameterSpec(PssstTransactionSpec.class).transactionKey());
    }

    /** Two threads race to open the same reply with one key, many times: exactly one wins each race. */
    @Test
    void replyContext_openedConcurrently_exactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                Cipher client = sealedRequest(new byte[1][]);
                byte[] request = client.doFinal(MESSAGE);
                SecretKey tx = transaction(client).transactionKey();
                Cipher server = JcaFixtures.cipher(Cipher.DECRYPT_MODE, SERVER.getPrivate());
                server.doFinal(request);
                byte[] reply = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, transaction(server).transactionKey())
                        .doFinal(MESSAGE);
                List<Callable<byte[]>> openers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Cipher opener = JcaFixtures.cipher(Cipher.DECRYPT_MODE, tx);
                    openers.add(() -> opener.doFinal(reply));
                }
                int opened = 0;
                for (Future<byte[]> f : pool.invokeAll(openers, 10, TimeUnit.SECONDS)) {
                    try {
                        assertArrayEquals(MESSAGE, f.get());
                        opened++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertTrue(e.getCause() instanceof IllegalStateException
                                || e.getCause() instanceof AEADBadTagException, e.getCause().toString());
                    }
                }
                assertEquals(1, opened, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
