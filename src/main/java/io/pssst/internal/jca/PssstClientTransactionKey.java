package io.pssst.internal.jca;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.internal.ClientSession;
import io.pssst.internal.ClientTransaction;
import io.pssst.internal.Wire;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.util.Optional;

/**
 * A client's transaction: it seals one request ({@code ENCRYPT_MODE}, only if it came from
 * {@code KeyAgreement}; a key from {@code Cipher.getParameters()} is already sealed), then
 * opens one reply ({@code DECRYPT_MODE}). A reply that fails to open does not use it up.
 */
final class PssstClientTransactionKey extends TransactionKey {
    private static final long serialVersionUID = 1L;

    private final transient ClientTransaction tx;
    private final transient Optional<XECPublicKey> clientKey;

    private PssstClientTransactionKey(ClientTransaction tx, Optional<XECPublicKey> clientKey) {
        this.tx = tx;
        this.clientKey = clientKey;
    }

    /** A new transaction: draws exactly 32 bytes (the ephemeral scalar) from {@code random}. */
    static PssstClientTransactionKey begin(ClientSession session, SecureRandom random) throws InvalidKeyMaterialException {
        return new PssstClientTransactionKey(session.begin(random), session.clientKey());
    }

    @Override
    public byte[] requestId() {
        return tx.requestId();
    }

    @Override
    public boolean clientKeyKnown() {
        return true;
    }

    /** The client's own public key if its request authenticates, otherwise empty. */
    @Override
    public Optional<XECPublicKey> clientKey() {
        return clientKey;
    }

    @Override
    boolean firstStepSeals() {
        return true;
    }

    @Override
    boolean firstStepDone() {
        return tx.sealed();
    }

    @Override
    boolean secondStepDone() {
        return tx.answered();
    }

    @Override
    boolean authenticated() {
        return (tx.flags() & Wire.FLAG_CLIENT_AUTH) != 0;
    }

    @Override
    void seal(ByteBuffer message, ByteBuffer datagram) {
        tx.sealRequest(message, datagram);
    }

    @Override
    void open(ByteBuffer datagram, ByteBuffer message) throws PssstException {
        tx.openReply(datagram, message);
    }

    @Override
    void wipe() {
        tx.destroy();
    }
}
