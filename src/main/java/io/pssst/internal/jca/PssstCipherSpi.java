package io.pssst.internal.jca;

import io.pssst.PssstX25519;
import io.pssst.PssstException;
import io.pssst.jca.PssstTransactionSpec;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.interfaces.XECKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;

/**
 * {@code Cipher "PSSST"}: one whole PSSST datagram per {@code doFinal}. What {@code init}
 * is given decides what the cipher does:
 *
 * <table>
 *   <caption>init arguments and the operation they select</caption>
 *   <tr><th>mode</th><th>key</th><th>each doFinal</th></tr>
 *   <tr><td>ENCRYPT</td><td>server's {@code XECPublicKey} [+ {@code PssstParameterSpec}]</td>
 *       <td>client: seals a new request (fresh ephemeral key from init's random); reusable</td></tr>
 *   <tr><td>DECRYPT</td><td>server's {@code XECPrivateKey} [+ {@code PssstParameterSpec} of previous keys]</td>
 *       <td>server: opens a request (a new transaction each time); reusable</td></tr>
 *   <tr><td>ENCRYPT</td><td>server transaction key</td><td>seals the one reply</td></tr>
 *   <tr><td>DECRYPT</td><td>client transaction key</td><td>opens the one reply</td></tr>
 *   <tr><td>ENCRYPT</td><td>client transaction key from KeyAgreement</td><td>seals the one request</td></tr>
 *   <tr><td>DECRYPT</td><td>server transaction key from KeyAgreement</td><td>opens the one request</td></tr>
 * </table>
 *
 * <p>States: uninitialised, initialised (possibly holding input from {@code update}),
 * finished (a single-use transaction key has done its step; only a new {@code init}
 * helps). {@code update} only buffers; {@code doFinal} processes the buffered and the final
 * input as one datagram. A short output buffer is refused before any work and changes
 * nothing. A refused datagram moves neither buffer, discards buffered input and leaves the
 * cipher initialised (a forged reply does not use up the reply context).
 */
final class PssstCipherSpi extends CipherSpi {
    /** Input larger than this cannot be a datagram whose output length fits an int. */
    static final int MAX_INPUT = Integer.MAX_VALUE - 1024;
    private static final byte[] EMPTY = new byte[0];

    private enum State { UNINITIALISED, INITIALISED, FINISHED }

    private final Provider provider;
    private final PssstX25519 x25519; // null: the system property's, at init
    private State state = State.UNINITIALISED;
    private DatagramOperation operation;
    private TransactionKey transaction;
    /** Whether {@link #transaction} was made by a reusable doFinal and never handed out: nobody else holds it. */
    private boolean transactionUnshared;
    private byte[] pending = EMPTY;
    private int pendingLength;

    /** For the provider's service; {@code provider} makes the {@code AlgorithmParameters}. */
    PssstCipherSpi(Provider provider, PssstX25519 x25519) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.x25519 = x25519;
    }

    @Override
    protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
        if (!"NONE".equalsIgnoreCase(mode)) {
            throw new NoSuchAlgorithmException("Cipher PSSST has no modes (only NONE), not " + mode);
        }
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!"NoPadding".equalsIgnoreCase(padding)) {
            throw new NoSuchPaddingException("Cipher PSSST has no padding (only NoPadding), not " + padding);
        }
    }

    /** 0: PSSST is not a block cipher; a datagram may have any length. */
    @Override
    protected int engineGetBlockSize() {
        return 0;
    }

    /** Null: PSSST nonces are derived per transaction and never exposed. */
    @Override
    protected byte[] engineGetIV() {
        return null;
    }

    @Override
    protected int engineGetKeySize(Key key) throws InvalidKeyException {
        if (key instanceof XECKey) {
            return 255;
        }
        if (key instanceof TransactionKey) {
            return 128;
        }
        throw new InvalidKeyException("Cipher PSSST does not take " + Sessions.describe(key));
    }

    /**
     * Exact for sealing; for opening, {@code input - 52} (an upper bound: an authenticated
     * request's message is 64 bytes shorter, which the header only tells).
     */
    @Override
    protected int engineGetOutputSize(int inputLen) {
        requireInitialised();
        return (int) Math.min(Integer.MAX_VALUE, operation.outputSize((long) pendingLength + Math.max(0, inputLen)));
    }

    /**
     * {@code AlgorithmParameters "PSSST"} holding the {@link PssstTransactionSpec} of the
     * last request sealed or opened (or of the init key's transaction); null before there is one.
     */
    @Override
    protected AlgorithmParameters engineGetParameters() {
        TransactionKey key = transaction;
        if (key == null || key.isDestroyed() || !key.clientKeyKnown()) {
            return null;
        }
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance(TransactionKey.ALGORITHM, provider);
            params.init(new PssstTransactionSpec(key));
            transactionUnshared = false;
            return params;
        } catch (NoSuchAlgorithmException | InvalidParameterSpecException e) {
            throw new ProviderException("the PSSST provider lacks its AlgorithmParameters", e);
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        try {
            init(opmode, key, null, random);
        } catch (InvalidAlgorithmParameterException e) {
            throw new InvalidKeyException(e.getMessage(), e); // not reached: no parameters were given
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        init(opmode, key, params, random);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("Cipher PSSST takes a PssstParameterSpec (or nothing), "
                    + "not AlgorithmParameters; a transaction key carries its own parameters");
        }
        init(opmode, key, null, random);
    }

    private void init(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        reset();
        state = State.UNINITIALISED;
        if (operation != null) {
            operation.close();
        }
        operation = null;
        forgetTransaction();
        boolean sealing = sealing(opmode);
        if (key instanceof TransactionKey) {
            if (params != null) {
                throw new InvalidAlgorithmParameterException("a PSSST transaction key takes no parameters, not "
                        + params.getClass().getName());
            }
            operation = DatagramOperation.step((TransactionKey) key, sealing);
            transaction = (TransactionKey) key;
        } else if (key instanceof XECPublicKey && sealing) {
            operation = DatagramOperation.newRequests(Sessions.client((XECPublicKey) key, params, Sessions.x25519(x25519)),
                    Sessions.orDefault(random));
        } else if (key instanceof XECPrivateKey && !sealing) {
            operation = DatagramOperation.incomingRequests(Sessions.server((XECPrivateKey) key, params,
                    Sessions.x25519(x25519)));
        } else {
            throw new InvalidKeyException(sealing
                    ? "ENCRYPT_MODE takes the server's XECPublicKey (to seal a request) or a PSSST transaction key "
                            + "(to seal its datagram), not " + Sessions.describe(key)
                    : "DECRYPT_MODE takes the server's XECPrivateKey (to open a request) or a PSSST transaction key "
                            + "(to open its datagram), not " + Sessions.describe(key));
        }
        state = State.INITIALISED;
    }

    private static boolean sealing(int opmode) {
        switch (opmode) {
            case Cipher.ENCRYPT_MODE:
                return true;
            case Cipher.DECRYPT_MODE:
                return false;
            case Cipher.WRAP_MODE:
            case Cipher.UNWRAP_MODE:
                throw new UnsupportedOperationException("Cipher PSSST seals and opens datagrams "
                        + "(ENCRYPT_MODE, DECRYPT_MODE); it does not wrap keys");
            default:
                throw new InvalidParameterException("unknown Cipher mode " + opmode);
        }
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
        requireProcessing();
        append(ByteBuffer.wrap(input == null ? EMPTY : input, inputOffset, inputLen));
        return EMPTY;
    }

    @Override
    protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset) {
        engineUpdate(input, inputOffset, inputLen);
        return 0;
    }

    @Override
    protected int engineUpdate(ByteBuffer input, ByteBuffer output) {
        requireProcessing();
        append(input);
        return 0;
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
        throw new UnsupportedOperationException("Cipher PSSST authenticates its own 4-byte header; "
                + "it takes no additional data");
    }

    @Override
    protected void engineUpdateAAD(ByteBuffer src) {
        engineUpdateAAD(EMPTY, 0, 0);
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
            throws IllegalBlockSizeException, BadPaddingException {
        requireProcessing();
        ByteBuffer original = wrap(input, inputOffset, inputLen);
        ByteBuffer in = pendingLength == 0 ? original : gather(original); // a new array cannot overlap it
        try {
            byte[] out = new byte[resultLength(in)];
            process(in, ByteBuffer.wrap(out), out.length);
            return out;
        } finally {
            wipeIfCopy(in, original);
        }
    }

    @Override
    protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        return engineDoFinal(wrap(input, inputOffset, inputLen),
                ByteBuffer.wrap(output, outputOffset, output.length - outputOffset));
    }

    /**
     * On success consumes {@code input} and advances {@code output} by the returned length.
     * Heap, direct and overlapping (in-place) buffers are all accepted: input that may share
     * memory with the output is copied first.
     */
    @Override
    protected int engineDoFinal(ByteBuffer input, ByteBuffer output)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        requireProcessing();
        ByteBuffer in = pendingLength == 0 && !mayShareMemory(input, output) ? input : gather(input);
        try {
            int length = resultLength(in);
            if (output.remaining() < length) {
                throw new ShortBufferException("the output buffer has " + output.remaining()
                        + " bytes remaining; this datagram needs " + length);
            }
            int start = output.position();
            process(in, output, length);
            input.position(input.limit());
            return output.position() - start;
        } finally {
            wipeIfCopy(in, input);
        }
    }

    private int resultLength(ByteBuffer in) throws IllegalBlockSizeException {
        if (in.remaining() > MAX_INPUT) {
            throw new IllegalBlockSizeException("a PSSST datagram of " + in.remaining() + " bytes is too large");
        }
        return (int) operation.resultLength(in);
    }

    /**
     * Seals or opens {@code in} into {@code output}, which has room for the {@code length}
     * bytes of the result. Where the engine needs more room than that (it decrypts an
     * authenticated request's 64-byte proof before removing it), it works in a scratch buffer,
     * so nothing of {@code output} beyond the result is touched.
     */
    private void process(ByteBuffer in, ByteBuffer output, int length) throws BadPaddingException {
        int work = (int) operation.outputSize(in.remaining());
        ByteBuffer target = work == length ? output : ByteBuffer.allocate(work);
        try {
            TransactionKey key = operation.run(in, target);
            if (key != transaction) {
                forgetTransaction();
                transaction = key;
                transactionUnshared = operation.reusable();
            }
            if (target != output) {
                output.put(target.flip());
            }
            state = operation.reusable() ? State.INITIALISED : State.FINISHED;
        } catch (PssstException e) {
            if (operation.sealing()) {
                // Sealing refuses nothing in the message, and init refused low-order server
                // keys: only an X25519 provider that refuses a fresh ephemeral key gets here.
                throw new ProviderException("X25519 refused to key a new request: " + e.getMessage(), e);
            }
            throw Refusals.toJca(e);
        } finally {
            if (target != output) {
                Arrays.fill(target.array(), (byte) 0);
            }
            reset();
        }
    }

    private void append(ByteBuffer more) {
        int n = more.remaining();
        if (n > MAX_INPUT - pendingLength) {
            throw new IllegalStateException("more than " + MAX_INPUT + " bytes of input: too large for a PSSST datagram");
        }
        if (pendingLength + n > pending.length) {
            byte[] grown = Arrays.copyOf(pending, Math.max(pendingLength + n, Math.min(MAX_INPUT, 2 * pending.length)));
            Arrays.fill(pending, (byte) 0);
            pending = grown;
        }
        more.get(pending, pendingLength, n);
        pendingLength += n;
    }

    /** A heap copy of the buffered input followed by {@code more}'s remaining bytes; {@code more} does not move. */
    private ByteBuffer gather(ByteBuffer more) throws IllegalBlockSizeException {
        int n = more.remaining();
        if (n > MAX_INPUT - pendingLength) {
            throw new IllegalBlockSizeException("a PSSST datagram of more than " + MAX_INPUT + " bytes is too large");
        }
        byte[] all = Arrays.copyOf(pending, pendingLength + n);
        more.duplicate().get(all, pendingLength, n);
        return ByteBuffer.wrap(all);
    }

    /** Zeroes {@code in} if it is a copy of {@code original} made by {@link #gather} (it may hold plaintext). */
    private static void wipeIfCopy(ByteBuffer in, ByteBuffer original) {
        if (in != original) {
            Arrays.fill(in.array(), (byte) 0);
        }
    }

    /** Whether the two buffers could overlap: heap and native memory never do; two direct buffers might. */
    private static boolean mayShareMemory(ByteBuffer a, ByteBuffer b) {
        if (a.isDirect() != b.isDirect()) {
            return false;
        }
        if (a.hasArray() && b.hasArray()) {
            return a.array() == b.array();
        }
        return true;
    }

    private static ByteBuffer wrap(byte[] input, int offset, int length) {
        return input == null ? ByteBuffer.wrap(EMPTY) : ByteBuffer.wrap(input, offset, length);
    }

    /**
     * Drops the last transaction, destroying it (wiping its keys) if this cipher made it and
     * never handed it out: then nothing can reach it any more. A transaction handed out by
     * {@link #engineGetParameters}, or given to init, belongs to the caller.
     */
    private void forgetTransaction() {
        if (transactionUnshared) {
            transaction.destroy();
        }
        transaction = null;
        transactionUnshared = false;
    }

    /** Discards buffered input (it may be plaintext). */
    private void reset() {
        Arrays.fill(pending, 0, pendingLength, (byte) 0);
        pendingLength = 0;
    }

    private void requireInitialised() {
        if (state == State.UNINITIALISED) {
            throw new IllegalStateException("Cipher PSSST is not initialised");
        }
    }

    private void requireProcessing() {
        requireInitialised();
        if (state == State.FINISHED) {
            throw new IllegalStateException("this Cipher PSSST has done the single step of its transaction key "
                    + "(a PSSST transaction key seals or opens one datagram each way); init it with a new key");
        }
    }
}
