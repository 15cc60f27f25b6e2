package io.pssst.jca;

import static io.pssst.jca.JcaFixtures.transaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.PssstKeys;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips of seeded random sizes from 0 to 65,000 bytes through the JCA, anonymous and authenticated. */
class PssstJcaRoundTripTest {
    private static final KeyPair SERVER = PssstKeys.generateKeyPair();
    private static final KeyPair CLIENT = PssstKeys.generateKeyPair();

    static Stream<Arguments> sizes() {
        Random random = new Random(20240917);
        return IntStream.concat(IntStream.of(0, 1, 65_000), random.ints(9, 0, 65_001)).boxed()
                .flatMap(n -> Stream.of(Arguments.of(n, false), Arguments.of(n, true)));
    }

    @ParameterizedTest(name = "{0} bytes, authenticated={1}")
    @MethodSource("sizes")
    void transaction_randomSize_roundTrips(int size, boolean authenticated) throws Exception {
        Random random = new Random(size);
        byte[] message = new byte[size];
        random.nextBytes(message);
        Cipher client = JcaFixtures.cipher();
        client.init(Cipher.ENCRYPT_MODE, SERVER.getPublic(), authenticated
                ? PssstParameterSpec.authenticated((XECPrivateKey) CLIENT.getPrivate()) : PssstParameterSpec.anonymous());
        byte[] request = client.doFinal(message);
        assertEquals(size + (authenticated ? 116 : 52), request.length);

        Cipher server = JcaFixtures.cipher(Cipher.DECRYPT_MODE, SERVER.getPrivate());
        ByteBuffer in = ByteBuffer.allocateDirect(request.length).put(request).flip();
        ByteBuffer opened = ByteBuffer.allocateDirect(server.getOutputSize(request.length));
        assertEquals(size, server.doFinal(in, opened));
        assertEquals(ByteBuffer.wrap(message), opened.flip());

        byte[] answer = new byte[size / 2];
        random.nextBytes(answer);
        byte[] reply = JcaFixtures.cipher(Cipher.ENCRYPT_MODE, transaction(server).transactionKey()).doFinal(answer);
        assertArrayEquals(answer, JcaFixtures.cipher(Cipher.DECRYPT_MODE, transaction(client).transactionKey()).doFinal(reply));
    }
}
