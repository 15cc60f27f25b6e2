package io.pssst.fuzz;

import static io.pssst.fuzz.Buffers.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.jca.PssstProvider;
import io.pssst.jca.PssstTransactionSpec;
import io.pssst.testing.FixedRandom;
import io.pssst.testing.InteropVectors.Transaction;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import org.junit.jupiter.api.Timeout;

/**
 * The JCA provider on any bytes: {@code Cipher "PSSST"} {@code doFinal} as the server (the
 * private key) and as the client (a transaction key), with {@code update} splits, arrays and
 * buffers; and {@code KeyAgreement "PSSST"} {@code doPhase} with any dh_param. Input: one byte
 * naming the interop vector, one byte choosing how the input is fed, then the datagram (for
 * {@code doPhase}: a length byte, the dh_param bytes, then the request).
 *
 * <p>What must hold (docs/jca.md, "Errors"): a refused datagram is a
 * {@code BadPaddingException} whose cause is the engine's {@link PssstException}, an
 * {@code AEADBadTagException} exactly for decrypt-failed, client-auth-failed and
 * reply-mismatch, and the same refusal the native API gives; a short output is a
 * {@code ShortBufferException} that changes nothing; a low-order dh_param is an
 * {@code InvalidKeyException} from {@code doPhase}; nothing else escapes. Only the vector's own
 * datagram opens, to the vector's message.
 */
class JcaFuzzTest {
    private static final PssstProvider PROVIDER = new PssstProvider();
    private static final Set<PssstException.Reason> TAG_REASONS = Set.of(PssstException.Reason.DECRYPT_FAILED,
            PssstException.Reason.CLIENT_AUTH_FAILED, PssstException.Reason.REPLY_MISMATCH);
    private static final Cipher[] SERVERS = new Cipher[FuzzVectors.all().size()];
    private static final Cipher[] CLIENTS = new Cipher[FuzzVectors.all().size()];
    private static final io.pssst.ReplyOpener[] OPENERS = new io.pssst.ReplyOpener[FuzzVectors.all().size()];

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void serverDoFinal_anyRequest_refusalsAreBadPaddingAsTheNativeApi(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        int index = FuzzVectors.index(in.u8());
        int feed = in.u8();
        byte[] request = in.rest();
        Transaction v = FuzzVectors.get(index);
        if (SERVERS[index] == null) {
            SERVERS[index] = Cipher.getInstance("PSSST", PROVIDER);
            SERVERS[index].init(Cipher.DECRYPT_MODE, FuzzVectors.serverPrivate(v));
        }
        PssstException.Reason expected = nativeServer(index, request);
        byte[] opened = doFinal(SERVERS[index], request, feed, expected);
        if (opened != null) {
            check(Arrays.equals(request, v.request()) && Arrays.equals(opened, v.requestMessage()),
                    "the server cipher opened something other than the vector's request");
        }
    }

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void clientDoFinal_anyReply_refusalsKeepTheTransactionKey(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        int index = FuzzVectors.index(in.u8());
        int feed = in.u8();
        byte[] reply = in.rest();
        Transaction v = FuzzVectors.get(index);
        if (CLIENTS[index] == null) {
            CLIENTS[index] = replyCipher(v);
        }
        PssstException.Reason expected = nativeReply(index, reply);
        byte[] opened = doFinal(CLIENTS[index], reply, feed, expected);
        if (opened != null) {
            check(Arrays.equals(reply, v.reply()) && Arrays.equals(opened, v.replyMessage()),
                    "the client cipher opened something other than the vector's reply");
            CLIENTS[index] = null; // used up: the next input gets a new transaction
        }
    }

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void keyAgreementDoPhase_anyDhParam_lowOrderIsInvalidKeyThenCipherOpens(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        int index = FuzzVectors.index(in.u8());
        int feed = in.u8();
        byte[] u = in.bytes(in.u8());
        byte[] request = in.rest();
        Transaction v = FuzzVectors.get(index);
        PublicKey dhParam;
        try {
            // As docs/jca.md shows: the dh_param as a big-endian u (here of any length the input gives).
            dhParam = KeyFactory.getInstance("X25519").generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, u)));
        } catch (InvalidKeySpecException e) {
            return; // the JDK's KeyFactory refused the number: no key to give doPhase
        }
        KeyAgreement agreement = KeyAgreement.getInstance("PSSST", PROVIDER);
        agreement.init(FuzzVectors.serverPrivate(v));
        SecretKey key;
        try {
            agreement.doPhase(dhParam, true);
            key = agreement.generateSecret("PSSST");
        } catch (InvalidKeyException e) {
            check(e.getCause() instanceof InvalidKeyMaterialException,
                    "doPhase refused a dh_param with an InvalidKeyException whose cause is " + e.getCause());
            check(isLowOrder(u), "doPhase refused a dh_param that is not low-order");
            return;
        }
        check(!isLowOrder(u), "doPhase accepted a low-order dh_param");
        Cipher open = Cipher.getInstance("PSSST", PROVIDER);
        open.init(Cipher.DECRYPT_MODE, key);
        byte[] opened = doFinal(open, request, feed, null);
        if (opened != null) {
            check(Arrays.equals(request, v.request()) && Arrays.equals(opened, v.requestMessage()),
                    "a KeyAgreement transaction key opened something other than the vector's request");
        }
    }

    /**
     * One {@code doFinal} fed as {@code feed} says; returns the plaintext, or null after a
     * refusal, which must be the documented JCA exception (with {@code expected}'s reason when
     * given). A short output first must be a {@code ShortBufferException} that changes nothing.
     */
    private static byte[] doFinal(Cipher c, byte[] datagram, int feed, PssstException.Reason expected)
            throws GeneralSecurityException {
        int split = datagram.length == 0 ? 0 : (feed >> 3) % (datagram.length + 1);
        try {
            // getOutputSize is an upper bound for an authenticated request (its 64-byte proof is
            // removed): 65 bytes less is too little for any datagram.
            if ((feed & 0x04) != 0 && c.getOutputSize(datagram.length) > 66) {
                byte[] tooSmall = new byte[c.getOutputSize(datagram.length) - 65 - (feed & 0x80) / 0x80];
                try {
                    c.doFinal(datagram, 0, datagram.length, tooSmall, 0);
                    throw new AssertionError("doFinal into too small an output did not throw ShortBufferException");
                } catch (ShortBufferException expectedShort) {
                    check(allZero(tooSmall), "a ShortBufferException wrote into the output");
                } catch (BadPaddingException refusedFirst) {
                    // a header refusal may come before the output is sized: the same outcome as below
                }
            }
            byte[] out;
            switch (feed & 0x03) {
                case 0 -> out = c.doFinal(datagram);
                case 1 -> {
                    byte[] head = c.update(datagram, 0, split);
                    check(head == null || head.length == 0, "update returned output: it only buffers");
                    out = c.doFinal(datagram, split, datagram.length - split);
                }
                case 2 -> {
                    ByteBuffer src = ByteBuffer.allocateDirect(datagram.length).put(datagram).flip();
                    ByteBuffer dst = ByteBuffer.allocate(c.getOutputSize(datagram.length) + 3);
                    int n = c.doFinal(src, dst);
                    check(n == dst.position() && !src.hasRemaining(), "doFinal(ByteBuffer, ByteBuffer) misreported");
                    out = Arrays.copyOf(dst.array(), n);
                }
                default -> {
                    byte[] buf = Arrays.copyOf(datagram, Math.max(datagram.length, c.getOutputSize(datagram.length)));
                    int n = c.doFinal(buf, 0, datagram.length, buf, 0); // in place
                    out = Arrays.copyOf(buf, n);
                }
            }
            check(expected == null, "the cipher opened what the native API refuses (" + expected + ")");
            return out;
        } catch (BadPaddingException e) {
            check(e.getCause() instanceof PssstException, "a BadPaddingException without the engine's cause: " + e);
            PssstException.Reason reason = ((PssstException) e.getCause()).reason();
            check(e instanceof AEADBadTagException == TAG_REASONS.contains(reason),
                    "reason " + reason + " thrown as " + e.getClass().getSimpleName());
            check(expected == null || expected == reason, "the cipher refused as " + reason + ", the native API as "
                    + expected);
            return null;
        }
    }

    private static PssstException.Reason nativeServer(int index, byte[] request) {
        try {
            FuzzVectors.server(index).open(request).replySealer().destroy();
            return null;
        } catch (PssstException e) {
            return e.reason();
        }
    }

    /** The native client's verdict, from an opener kept per vector (a refusal leaves it usable). */
    private static PssstException.Reason nativeReply(int index, byte[] reply) throws Exception {
        if (OPENERS[index] == null || OPENERS[index].isAnswered()) {
            OPENERS[index] = FuzzVectors.pack(FuzzVectors.get(index)).replyOpener();
        }
        try {
            OPENERS[index].open(reply);
            return null;
        } catch (PssstException e) {
            return e.reason();
        }
    }

    /** A client {@code Cipher} in DECRYPT_MODE with the transaction key of the vector's request. */
    private static Cipher replyCipher(Transaction v) throws Exception {
        Cipher seal = Cipher.getInstance("PSSST", PROVIDER);
        seal.init(Cipher.ENCRYPT_MODE, FuzzVectors.serverPublic(v),
                v.clientPrivate() == null ? io.pssst.jca.PssstParameterSpec.anonymous()
                        : io.pssst.jca.PssstParameterSpec.authenticated(PssstKeys.privateKey(v.clientPrivate())),
                new FixedRandom(v.ephemeralPrivate()));
        check(Arrays.equals(seal.doFinal(v.requestMessage()), v.request()), "the vector's request did not reseal");
        SecretKey key = seal.getParameters().getParameterSpec(PssstTransactionSpec.class).transactionKey();
        Cipher open = Cipher.getInstance("PSSST", PROVIDER);
        open.init(Cipher.DECRYPT_MODE, key);
        return open;
    }

    /** Whether u (big-endian, any length) is, mod p and with bit 255 masked, one of the low-order points. */
    private static boolean isLowOrder(byte[] u) {
        BigInteger p = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
        BigInteger x = new BigInteger(1, u).mod(p);
        for (String low : io.pssst.testing.TestKeys.LOW_ORDER) {
            byte[] le = io.pssst.internal.Bytes.unhex(low);
            le[31] &= 0x7f;
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = le[31 - i];
            }
            if (new BigInteger(1, be).mod(p).equals(x)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allZero(byte[] b) {
        return Buffers.allZero(b, 0, b.length);
    }
}
