package io.pssst.internal.jca;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.internal.ServerSession;
import io.pssst.internal.ServerTransaction;
import java.nio.ByteBuffer;
import java.security.interfaces.XECPublicKey;
import java.util.Optional;

/**
 * A server's transaction: it opens one request ({@code DECRYPT_MODE}, only if it came from
 * {@code KeyAgreement}; a key from {@code Cipher.getParameters()} is already opened), then
 * seals one reply ({@code ENCRYPT_MODE}). A request that fails to open does not use it up.
 */
final class PssstServerTransactionKey extends TransactionKey {
    private static final long serialVersionUID = 1L;

    private final transient ServerTransaction tx;

    private PssstServerTransactionKey(ServerTransaction tx) {
        this.tx = tx;
    }

    /** The transaction of the request in {@code request}: header checks, then one X25519. Does not move the buffer. */
    static PssstServerTransactionKey begin(ServerSession session, ByteBuffer request) throws PssstException {
        return new PssstServerTransactionKey(session.begin(request));
    }

    /** The transaction of a request known by its dh_param alone; its flags are learnt when it is opened. */
    static PssstServerTransactionKey begin(ServerSession session, byte[] dhParam) throws InvalidKeyMaterialException {
        return new PssstServerTransactionKey(session.begin(dhParam));
    }

    @Override
    public byte[] requestId() {
        return tx.requestId();
    }

    @Override
    public boolean clientKeyKnown() {
        return tx.opened();
    }

    /** The authenticated client's public key, or empty for an anonymous request. */
    @Override
    public Optional<XECPublicKey> clientKey() {
        if (!tx.opened()) {
            throw new IllegalStateException("the request has not been opened yet: its client key is not known");
        }
        return Optional.ofNullable(tx.clientPublicKey());
    }

    @Override
    boolean firstStepSeals() {
        return false;
    }

    @Override
    boolean firstStepDone() {
        return tx.opened();
    }

    @Override
    boolean secondStepDone() {
        return tx.replied();
    }

    @Override
    boolean authenticated() {
        return tx.clientAuth();
    }

    @Override
    void seal(ByteBuffer message, ByteBuffer datagram) {
        tx.sealReply(message, datagram);
    }

    @Override
    void open(ByteBuffer datagram, ByteBuffer message) throws PssstException {
        tx.openRequest(datagram, message);
    }

    @Override
    void wipe() {
        tx.destroy();
    }
}
