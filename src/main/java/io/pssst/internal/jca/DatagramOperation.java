package io.pssst.internal.jca;

import io.pssst.PssstException;
import io.pssst.internal.ClientSession;
import io.pssst.internal.ServerSession;
import io.pssst.internal.Wire;
import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.SecureRandom;

/**
 * What one {@code doFinal} of {@code Cipher "PSSST"} does, fixed by {@code init}: seal or
 * open exactly one datagram, a request or a reply, in the transaction its source gives.
 * Lengths come from the wire layout only (no cryptography), so the cipher can refuse a short
 * output buffer before any work.
 */
final class DatagramOperation {
    /** Where the transaction of the next datagram comes from. */
    @FunctionalInterface
    private interface Source {
        TransactionKey next(ByteBuffer input) throws PssstException;
    }

    private final boolean sealing;
    private final boolean request;
    private final boolean clientAuth;
    private final boolean reusable;
    private final Source source;
    /** The client session this operation made requests from (its own, closed with it), or null. */
    private final ClientSession session;

    /**
     * @param request whether the datagram is a request (else a reply)
     * @param clientAuth whether a request sealed here carries the 64-byte client proof
     * @param reusable whether each datagram gets a new transaction from {@code source}
     */
    private DatagramOperation(boolean sealing, boolean request, boolean clientAuth, boolean reusable, Source source) {
        this(sealing, request, clientAuth, reusable, source, null);
    }

    private DatagramOperation(boolean sealing, boolean request, boolean clientAuth, boolean reusable, Source source,
            ClientSession session) {
        this.sealing = sealing;
        this.request = request;
        this.clientAuth = clientAuth;
        this.reusable = reusable;
        this.source = source;
        this.session = session;
    }

    /** Client, initialised with the server's public key: each datagram is a new request with a fresh ephemeral key. */
    static DatagramOperation newRequests(ClientSession session, SecureRandom random) {
        return new DatagramOperation(true, true, session.authenticated(), true,
                input -> PssstClientTransactionKey.begin(session, random), session);
    }

    /**
     * The Cipher is re-initialised: a client session made for this operation is closed, so its
     * static secret CS is wiped now rather than whenever the collector comes. Transaction keys
     * already handed out keep their own keys.
     */
    void close() {
        if (session != null) {
            session.close();
        }
    }

    /** Server, initialised with its private key: each datagram is the request of a new transaction. */
    static DatagramOperation incomingRequests(ServerSession session) {
        return new DatagramOperation(false, true, false, true, input -> PssstServerTransactionKey.begin(session, input));
    }

    /**
     * The one step a transaction key allows in this mode (seal its request, open its reply;
     * or open its request, seal its reply). Single use.
     *
     * @throws InvalidKeyException if the key cannot take that step (destroyed, done already,
     *         or the other step comes first)
     */
    static DatagramOperation step(TransactionKey key, boolean sealing) throws InvalidKeyException {
        key.checkUsable(sealing);
        boolean request = sealing == key.firstStepSeals(); // the first step handles the request
        return new DatagramOperation(sealing, request, key.authenticated(), false, input -> {
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

    /**
     * {@code getOutputSize}: exact when sealing and when opening a reply; when opening a
     * request, whose header is unknown here, an upper bound (an authenticated request's
     * message is 64 bytes shorter). Also the room the engine writes into when opening: it
     * decrypts an authenticated request's proof before removing it.
     */
    long outputSize(long inputLength) {
        if (sealing) {
            return inputLength + Wire.OVERHEAD + (request && clientAuth ? Wire.CLIENT_PROOF_LENGTH : 0);
        }
        return Math.max(0, inputLength - Wire.OVERHEAD);
    }

    /** The exact output length for {@code input}'s remaining bytes, from their length and header. */
    long resultLength(ByteBuffer input) {
        long size = outputSize(input.remaining());
        if (sealing || !request || input.remaining() < Wire.OVERHEAD
                || (Wire.flags(input) & Wire.FLAG_CLIENT_AUTH) == 0) {
            return size;
        }
        return Math.max(0, size - Wire.CLIENT_PROOF_LENGTH); // 0 for what will be refused
    }

    /**
     * Seals or opens {@code input}'s remaining bytes into {@code output} (which has
     * {@link #outputSize} bytes of room); on success consumes {@code input} and advances
     * {@code output}; on refusal moves neither, and a transaction made for this datagram
     * alone is destroyed.
     *
     * @return the transaction the datagram belongs to
     * @throws IllegalStateException if a single-use step was taken (through another cipher) since init
     */
    TransactionKey run(ByteBuffer input, ByteBuffer output) throws PssstException {
        TransactionKey key = source.next(input);
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
}
