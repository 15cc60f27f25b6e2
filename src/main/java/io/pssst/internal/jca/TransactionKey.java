package io.pssst.internal.jca;

import io.pssst.PssstException;
import io.pssst.internal.Bytes;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import io.pssst.jca.PssstTransactionKey;
import java.security.InvalidKeyException;

/**
 * The provider's {@link PssstTransactionKey}: an engine transaction with the state machine
 * of its two steps (client: seal the request, open the reply; server: open the request, seal
 * the reply), one subclass per role. It never releases the transaction's AES key or nonces
 * ({@link #getEncoded()} and {@link #getFormat()} return null), it cannot be serialised,
 * and {@link #toString()} shows only the public request id.
 */
abstract sealed class TransactionKey implements PssstTransactionKey
        permits PssstClientTransactionKey, PssstServerTransactionKey {
    private static final long serialVersionUID = 1L;

    private transient volatile boolean destroyed;

    TransactionKey() {
    }

    @Override
    public final String getAlgorithm() {
        return ALGORITHM;
    }

    /** Always null: a transaction key has no external encoding. */
    @Override
    public final String getFormat() {
        return null;
    }

    /** Always null: releasing the AES key would let a caller reuse its nonces. */
    @Override
    public final byte[] getEncoded() {
        return null;
    }

    /**
     * Refuses, with a message saying why, a step this key cannot take now: sealing
     * ({@code ENCRYPT_MODE}) or opening. The first step (client: seal the request; server:
     * open it) comes before the second (open or seal the reply); each runs once.
     */
    final void checkUsable(boolean sealing) throws InvalidKeyException {
        if (destroyed) {
            throw new InvalidKeyException("this PSSST transaction key has been destroyed");
        }
        if (sealing == firstStepSeals()) {
            if (firstStepDone()) {
                throw new InvalidKeyException("this PSSST transaction key cannot " + step(true)
                        + " again: each step of a transaction runs once" + (sealing
                                ? " (KeyAgreement.generateSecret(\"PSSST\") makes a new request key)" : ""));
            }
        } else if (!firstStepDone()) {
            throw new InvalidKeyException("this PSSST transaction key cannot " + step(false) + " yet: "
                    + step(true) + " first");
        } else if (secondStepDone()) {
            throw new InvalidKeyException("this PSSST transaction key cannot " + step(false)
                    + " again: reply contexts are single-use");
        }
    }

    /** Whether the first step seals (client) or opens (server). */
    abstract boolean firstStepSeals();

    /** Whether the request has been sealed (client) or opened (server). */
    abstract boolean firstStepDone();

    /** Whether the reply has been opened (client) or sealed (server). */
    abstract boolean secondStepDone();

    /** The first or second step, for messages: e.g. "seal its request". */
    private String step(boolean first) {
        return (first == firstStepSeals() ? "seal its " : "open its ") + (first ? "request" : "reply");
    }

    /** Whether the request carries client authentication (a server's key: false until the request is opened). */
    abstract boolean authenticated();

    /** Seals this transaction's datagram (client: the request; server: the reply), once. */
    abstract void seal(ByteBuffer message, ByteBuffer datagram);

    /** Opens this transaction's datagram (client: the reply; server: the request), once. */
    abstract void open(ByteBuffer datagram, ByteBuffer message) throws PssstException;

    /** Wipes the transaction's keys; every later use is refused. */
    @Override
    public final void destroy() {
        destroyed = true;
        wipe();
    }

    @Override
    public final boolean isDestroyed() {
        return destroyed;
    }

    /** Wipes the engine's keys of this transaction. */
    abstract void wipe();

    @Override
    public final String toString() {
        String state = destroyed ? "destroyed" : secondStepDone() ? "reply " + (firstStepSeals() ? "opened" : "sealed")
                : firstStepDone() ? "request " + (firstStepSeals() ? "sealed" : "opened") : "new";
        return "PssstTransactionKey[" + (firstStepSeals() ? "client" : "server") + ", request "
                + Bytes.hexPrefix(requestId()) + ", " + state + "]";
    }

    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("a PSSST transaction key is a live single-use context; it cannot be serialised");
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a PSSST transaction key cannot be deserialised");
    }
}
