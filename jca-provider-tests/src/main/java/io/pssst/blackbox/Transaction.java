package io.pssst.blackbox;

import io.pssst.DecryptFailedException;
import io.pssst.jca.PssstParameterSpec;
import io.pssst.jca.PssstTransactionSpec;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;

/**
 * The complete PSSST transaction through {@code Cipher "PSSST"} only, exactly as the JCA
 * contract shows it: the client seals a request, the server opens it and seals the reply,
 * the client opens the reply; and the same through {@code KeyAgreement "PSSST"}.
 */
final class Transaction {

    private final ProviderSource services;
    private final KeyPair server;
    private final SecureRandom random = new SecureRandom();

    Transaction(ProviderSource services, KeyPair server) {
        this.services = services;
        this.server = server;
    }

    /** One whole transaction; {@code client} null means anonymous. */
    void run(KeyPair client) throws GeneralSecurityException {
        byte[] message = randomBytes(200);
        byte[] answer = randomBytes(300);
        Sealed request = sealRequest(message, client);
        Cipher opener = replyOpener(request.tx());
        byte[] reply = serve(request.datagram(), message, answer, client);
        Checks.check(Arrays.equals(answer, opener.doFinal(reply)), "the opened reply differs from the answer");
    }

    /**
     * One whole transaction through {@code KeyAgreement "PSSST"} and transaction keys: the
     * client's key from its agreement seals the request and opens the reply; the server's key
     * from its agreement with the request's dh_param opens the request and seals the reply.
     * {@code client} null means anonymous.
     */
    void runWithKeyAgreement(KeyPair client) throws GeneralSecurityException {
        byte[] message = randomBytes(100);
        byte[] answer = randomBytes(150);
        KeyAgreement clientAgreement = services.keyAgreement();
        clientAgreement.init(server.getPublic(), client == null ? PssstParameterSpec.anonymous()
                : PssstParameterSpec.authenticated((XECPrivateKey) client.getPrivate()), random);
        SecretKey clientTx = clientAgreement.generateSecret(ProviderSource.PSSST);
        byte[] request = cipher(Cipher.ENCRYPT_MODE, clientTx).doFinal(message);

        KeyAgreement serverAgreement = services.keyAgreement();
        serverAgreement.init(server.getPrivate());
        serverAgreement.doPhase(dhParam(request), true);
        SecretKey serverTx = serverAgreement.generateSecret(ProviderSource.PSSST);
        Cipher opener = cipher(Cipher.DECRYPT_MODE, serverTx);
        Checks.check(Arrays.equals(message, opener.doFinal(request)), "the opened request differs from the message");
        checkClient(opener.getParameters().getParameterSpec(PssstTransactionSpec.class).clientKey(), client);
        byte[] reply = cipher(Cipher.ENCRYPT_MODE, serverTx).doFinal(answer);

        Checks.check(Arrays.equals(answer, cipher(Cipher.DECRYPT_MODE, clientTx).doFinal(reply)),
                "the opened reply differs from the answer");
    }

    private Cipher cipher(int mode, SecretKey transactionKey) throws GeneralSecurityException {
        Cipher c = services.cipher();
        c.init(mode, transactionKey);
        return c;
    }

    /** The request's dh_param (bytes 4..36, little-endian) as the JDK's X25519 public key. */
    private static PublicKey dhParam(byte[] request) throws GeneralSecurityException {
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = request[35 - i];
        }
        return KeyFactory.getInstance("X25519").generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
    }

    /** A reply with a flipped tag bit is refused with AEADBadTagException caused by DecryptFailedException. */
    void tamperedReplyRefused() throws GeneralSecurityException {
        byte[] message = randomBytes(10);
        Sealed request = sealRequest(message, null);
        Cipher opener = replyOpener(request.tx());
        byte[] reply = serve(request.datagram(), message, randomBytes(10), null);
        reply[reply.length - 1] ^= 1;
        try {
            opener.doFinal(reply);
        } catch (AEADBadTagException expected) {
            Checks.check(expected.getCause() instanceof DecryptFailedException,
                    "AEADBadTagException without DecryptFailedException as cause: " + expected.getCause());
            return;
        }
        throw new IllegalStateException("a tampered reply was accepted");
    }

    private Sealed sealRequest(byte[] message, KeyPair client) throws GeneralSecurityException {
        Cipher c = services.cipher();
        if (client == null) {
            c.init(Cipher.ENCRYPT_MODE, server.getPublic());
        } else {
            c.init(Cipher.ENCRYPT_MODE, server.getPublic(),
                    PssstParameterSpec.authenticated((XECPrivateKey) client.getPrivate()), random);
        }
        byte[] request = c.doFinal(message);
        return new Sealed(request, c.getParameters().getParameterSpec(PssstTransactionSpec.class));
    }

    private Cipher replyOpener(PssstTransactionSpec clientTx) throws GeneralSecurityException {
        return cipher(Cipher.DECRYPT_MODE, clientTx.transactionKey());
    }

    /** The server's side: opens the request, checks who sent it, seals the answer. */
    private byte[] serve(byte[] request, byte[] message, byte[] answer, KeyPair client)
            throws GeneralSecurityException {
        Cipher s = services.cipher();
        s.init(Cipher.DECRYPT_MODE, server.getPrivate());
        byte[] received = s.doFinal(request);
        Checks.check(Arrays.equals(message, received), "the opened request differs from the message");
        PssstTransactionSpec serverTx = s.getParameters().getParameterSpec(PssstTransactionSpec.class);
        checkClient(serverTx.clientKey(), client);
        Checks.check(serverTx.requestId().length == 32, "requestId is not the 32-byte dh_param");
        Checks.check("PSSST".equals(serverTx.transactionKey().getAlgorithm()),
                "transaction key algorithm is " + serverTx.transactionKey().getAlgorithm());
        Checks.check(serverTx.transactionKey().getEncoded() == null,
                "the transaction key exposes an encoding");
        return cipher(Cipher.ENCRYPT_MODE, serverTx.transactionKey()).doFinal(answer);
    }

    private static void checkClient(Optional<XECPublicKey> who, KeyPair client) {
        if (client == null) {
            Checks.check(who.isEmpty(), "an anonymous request came with a client key");
        } else {
            Checks.check(who.isPresent(), "an authenticated request came without a client key");
            Checks.check(Arrays.equals(client.getPublic().getEncoded(), who.get().getEncoded()),
                    "the server saw a different client key");
        }
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private record Sealed(byte[] datagram, PssstTransactionSpec tx) {
    }
}
