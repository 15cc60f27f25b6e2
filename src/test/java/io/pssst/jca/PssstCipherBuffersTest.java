package io.pssst.jca;

import io.pssst.testing.RequiresSharedData;
import static io.pssst.jca.JcaFixtures.cipher;
import static io.pssst.jca.JcaFixtures.clientCipher;
import static io.pssst.jca.JcaFixtures.serverPrivate;
import static io.pssst.jca.JcaFixtures.transaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.testing.InteropVectors;
import io.pssst.testing.InteropVectors.Transaction;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step of every vector through each {@code Cipher} buffer path: arrays with offsets,
 * arrays in place, heap, direct and read-only buffers, buffers in place, {@code update}
 * then {@code doFinal}; short outputs refused before any work; {@code getOutputSize}.
 */
@RequiresSharedData
class PssstCipherBuffersTest {

    /** The four steps of a transaction, each from a freshly initialised cipher. */
    enum Step {
        CLIENT_SEALS_REQUEST, SERVER_OPENS_REQUEST, SERVER_SEALS_REPLY, CLIENT_OPENS_REPLY
    }

    record Case(Transaction v, Step step) {
        @Override
        public String toString() {
            return v + ", " + step;
        }

        /** A cipher initialised for this step (the earlier steps done through the byte[] API). */
        Cipher cipher() throws GeneralSecurityException {
            switch (step) {
                case CLIENT_SEALS_REQUEST:
                    return clientCipher(v);
                case SERVER_OPENS_REQUEST:
                    return JcaFixtures.cipher(Cipher.DECRYPT_MODE, serverPrivate(v));
                case SERVER_SEALS_REPLY:
                    Cipher server = JcaFixtures.cipher(Cipher.DECRYPT_MODE, serverPrivate(v));
                    server.doFinal(v.request());
                    return JcaFixtures.cipher(Cipher.ENCRYPT_MODE, transaction(server).transactionKey());
                default:
                    Cipher client = clientCipher(v);
                    client.doFinal(v.requestMessage());
                    return JcaFixtures.cipher(Cipher.DECRYPT_MODE, transaction(client).transactionKey());
            }
        }

        byte[] input() {
            return new byte[][] {v.requestMessage(), v.request(), v.replyMessage(), v.reply()}[step.ordinal()];
        }

        byte[] expected() {
            return new byte[][] {v.request(), v.requestMessage(), v.reply(), v.replyMessage()}[step.ordinal()];
        }

        boolean sealing() {
            return step == Step.CLIENT_SEALS_REQUEST || step == Step.SERVER_SEALS_REPLY;
        }
    }

    static Stream<Case> cases() {
        return InteropVectors.transactions().stream()
                .filter(v -> v.requestMessage().length <= 1400) // the big ones add nothing here
                .flatMap(v -> Arrays.stream(Step.values()).map(s -> new Case(v, s)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void doFinal_arraysWithOffsets_byteForByte(Case c) throws Exception {
        byte[] in = frame(c.input(), 3, 5);
        byte[] out = new byte[c.expected().length + 11];
        Arrays.fill(out, (byte) 0x5a);
        assertEquals(c.expected().length, c.cipher().doFinal(in, 3, c.input().length, out, 7));
        assertArrayEquals(c.expected(), Arrays.copyOfRange(out, 7, 7 + c.expected().length));
        assertUntouched(out, 0, 7);
        assertUntouched(out, 7 + c.expected().length, out.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void doFinal_arrayInPlace_byteForByte(Case c) throws Exception {
        byte[] buf = Arrays.copyOf(c.input(), Math.max(c.input().length, c.expected().length));
        assertEquals(c.expected().length, c.cipher().doFinal(buf, 0, c.input().length, buf, 0));
        assertArrayEquals(c.expected(), Arrays.copyOf(buf, c.expected().length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void doFinal_heapDirectAndReadOnlyBuffers_byteForByte(Case c) throws Exception {
        for (String kind : new String[] {"heap", "direct", "read-only heap input", "heap into direct"}) {
            ByteBuffer in = alloc(!kind.startsWith("heap") && !kind.startsWith("read-only"), c.input().length + 9);
            in.position(4).put(c.input()).flip().position(4);
            if (kind.startsWith("read-only")) {
                in = in.asReadOnlyBuffer();
            }
            ByteBuffer out = alloc(!kind.equals("heap") && !kind.startsWith("read-only"), c.expected().length + 13);
            out.position(6);
            assertEquals(c.expected().length, c.cipher().doFinal(in, out), kind);
            assertEquals(in.limit(), in.position(), kind + ": input consumed");
            assertEquals(6 + c.expected().length, out.position(), kind + ": output advanced");
            assertEquals(ByteBuffer.wrap(c.expected()), out.flip().position(6), kind);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void doFinal_buffersInPlace_heapAndDirect_byteForByte(Case c) throws Exception {
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer buf = alloc(direct, Math.max(c.input().length, c.expected().length) + 2);
            buf.position(2).put(c.input());
            ByteBuffer in = buf.duplicate().flip().position(2);
            ByteBuffer out = buf.duplicate().clear().position(2);
            assertEquals(c.expected().length, c.cipher().doFinal(in, out));
            assertEquals(ByteBuffer.wrap(c.expected()), out.flip().position(2), direct ? "direct" : "heap");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void update_buffersInput_doFinalProcessesAll(Case c) throws Exception {
        byte[] input = c.input();
        int a = input.length / 3;
        int b = 2 * input.length / 3;
        Cipher cipher = c.cipher();
        byte[] early = cipher.update(input, 0, a); // Cipher itself returns null for no input
        assertTrue(early == null || early.length == 0, "update releases nothing");
        assertEquals(0, cipher.update(ByteBuffer.wrap(input, a, b - a), ByteBuffer.allocate(0)));
        assertArrayEquals(c.expected(), cipher.doFinal(input, b, input.length - b));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void doFinal_shortOutput_refusedBeforeAnyWork_thenRetrySucceeds(Case c) throws Exception {
        Cipher cipher = c.cipher(); // a client's FixedRandom fails the test if drawn from twice
        byte[] input = c.input();
        int half = input.length / 2;
        cipher.update(input, 0, half);
        if (c.expected().length > 0) {
            byte[] small = new byte[c.expected().length - 1];
            assertThrows(ShortBufferException.class, () -> cipher.doFinal(input, half, input.length - half, small, 0));
            ByteBuffer in = ByteBuffer.wrap(input, half, input.length - half);
            ShortBufferException e = assertThrows(ShortBufferException.class,
                    () -> cipher.doFinal(in, ByteBuffer.allocateDirect(c.expected().length - 1)));
            assertTrue(e.getMessage().contains("needs " + c.expected().length), e.getMessage());
            assertEquals(half, in.position(), "input untouched");
        }
        byte[] out = new byte[c.expected().length];
        assertEquals(out.length, cipher.doFinal(input, half, input.length - half, out, 0));
        assertArrayEquals(c.expected(), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void getOutputSize_exactForSealing_upperBoundForOpening(Case c) throws Exception {
        Cipher cipher = c.cipher();
        int size = cipher.getOutputSize(c.input().length);
        if (c.sealing()) {
            assertEquals(c.expected().length, size);
        } else {
            assertEquals(c.input().length - 52, size);
            assertTrue(size >= c.expected().length);
        }
        int buffered = Math.min(10, c.input().length);
        cipher.update(c.input(), 0, buffered);
        assertEquals(size, cipher.getOutputSize(c.input().length - buffered), "buffered input counts");
    }

    private static byte[] frame(byte[] content, int before, int after) {
        byte[] out = new byte[before + content.length + after];
        System.arraycopy(content, 0, out, before, content.length);
        return out;
    }

    private static void assertUntouched(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals(0x5a, b[i], "byte " + i + " outside the output was written");
        }
    }

    private static ByteBuffer alloc(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }
}
