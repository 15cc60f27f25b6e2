package io.pssst.internal.jca;

import io.pssst.PssstException;
import io.pssst.internal.ClientSession;
import io.pssst.internal.ServerSession;
import io.pssst.internal.Wire;
import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.ToLongFunction;

/**
 * What one {@code doFinal} of {@code Cipher "PSSST"} does, fixed by {@code init}: seal or
 * open exactly one datagram, in the transaction its source gives. Lengths come from the wire
 * layout only (no cryptography), so the cipher can refuse a short output buffer before any
 * work.
 */
final class DatagramOperation {
    /** Where the transaction of the next datagram comes from. */
    @FunctionalInterface
    private interface Source {
        PssstTransactionKey next(ByteBuffer input) throws PssstException;
    }

    private final boolean sealing;
    private final boolean reusable;
    private final LongUnaryOperator sealedLength;
    private final ToLongFunction<ByteBuffer> openedLength;
    private final Source source;

    private DatagramOperation(boolean sealing, boolean reusable, LongUnaryOperator sealedLength,
            ToLongFunction<ByteBuffer> openedLength, Source source) {
        this.sealing = sealing;
        this.reusable = reusable;
        this.sealedLength = sealedLength;
        this.openedLength = openedLength;
        this.source = source;
    }

    /** Client, initialised with the server's public key: each datagram is a new request with a fresh ephemeral key. */
    static DatagramOperation newRequests(ClientSession session, SecureRandom random) {
        return new DatagramOperation(true, true, n -> sealedLength(n, session.authenticated()), null,
                input -> PssstClientTransactionKey.begin(session, random));
    }

    /** Server, initialised with its private key: each datagram is the request of a new transaction. */
    static DatagramOperation incomingRequests(ServerSession session) {
        return new DatagramOperation(false, true, null, DatagramOperation::openedRequestLength,
                input -> PssstServerTransactionKey.begin(session, input));
    }

    /**
     * The one step a transaction key allows in this mode (seal its request, open its reply;
     * or open its request, seal its reply). Single use.
     *
     * @throws InvalidKeyException if the key cannot take that step (destroyed, done already,
     *         or the other step comes first)
     */
    static DatagramOperation step(PssstTransactionKey key, boolean sealing) throws InvalidKeyException {
        key.checkUsable(sealing);
        return new DatagramOperation(sealing, false, key::sealedLength, key::openedLength, input -> {
            try {
                key.checkUsable(sealing);
            } catch (InvalidKeyException e) {
                throw new IllegalStateException(e.getMessage() + " (it was used since this Cipher was initialised)", e);
            }
            return key;
        });
    }

    /** Whether this operation seals (ENCRYPT_MODE) rather than opens. */
    boolean sealing() {
        return sealing;
    }

    /** Whether another datagram may follow a successful {@link #run}. */
    boolean reusable() {
        return reusable;
    }

    /** {@code getOutputSize}: exact when sealing, an upper bound when opening (the header is unknown). */
    long outputSize(long inputLength) {
        return sealing ? sealedLength.applyAsLong(inputLength) : openedLength(inputLength);
    }

    /** The exact output length for {@code input}'s remaining bytes, from their length and header. */
    long resultLength(ByteBuffer input) {
        return sealing ? sealedLength.applyAsLong(input.remaining()) : openedLength.applyAsLong(input);
    }

    /**
     * Room the engine writes into; larger than {@link #resultLength} only for an
     * authenticated request, whose 64-byte proof is decrypted before it is removed.
     */
    long workLength(ByteBuffer input) {
        return sealing ? resultLength(input) : openedLength(input.remaining());
    }

    /**
     * Seals or opens {@code input}'s remaining bytes into {@code output} (which has
     * {@link #workLength} bytes of room); on success consumes {@code input} and advances
     * {@code output}; on refusal moves neither.
     *
     * @return the transaction the datagram belongs to
     * @throws IllegalStateException if a single-use step was taken (through another cipher) since init
     */
    PssstTransactionKey run(ByteBuffer input, ByteBuffer output) throws PssstException {
        PssstTransactionKey key = source.next(input);
        try {
            if (sealing) {
                key.seal(input, output);
            } else {
                key.open(input, output);
            }
            return key;
        } catch (PssstException | RuntimeException e) {
            if (reusable) {
                key.destroy(); // made for this datagram alone, and nobody else holds it: wipe it
            }
            throw e;
        }
    }

    /** Length of a sealed datagram for a message of {@code messageLength} bytes. */
    static long sealedLength(long messageLength, boolean clientAuth) {
        return messageLength + Wire.OVERHEAD + (clientAuth ? Wire.CLIENT_PROOF_LENGTH : 0);
    }

    /** Upper bound of an opened message: the datagram less its 52 bytes of overhead. */
    static long openedLength(long datagramLength) {
        return Math.max(0, datagramLength - Wire.OVERHEAD);
    }

    /** Exact length of the message in a request, reading its CLIENT_AUTH flag; 0 for what will be refused. */
    static long openedRequestLength(ByteBuffer request) {
        long plain = openedLength(request.remaining());
        if (request.remaining() < Wire.OVERHEAD || (Wire.flags(request) & Wire.FLAG_CLIENT_AUTH) == 0) {
            return plain;
        }
        return plain >= Wire.CLIENT_PROOF_LENGTH ? plain - Wire.CLIENT_PROOF_LENGTH : 0;
    }
}
