package io.pssst.internal.jca;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstX25519;
import io.pssst.internal.ClientSession;
import io.pssst.internal.ServerSession;
import io.pssst.internal.X25519;
import io.pssst.jca.PssstParameterSpec;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.interfaces.XECKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;

/**
 * The {@code init} arguments shared by {@code Cipher "PSSST"} and {@code KeyAgreement "PSSST"}:
 * the server's public key (plus an optional {@link PssstParameterSpec}) makes a client
 * session, the server's private key a server session. Standard JCA exceptions, with the
 * engine's typed reason as the cause.
 */
final class Sessions {
    private static final class DefaultRandom {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    private Sessions() {
    }

    /** {@code random}, or the provider's default {@code SecureRandom} when null. */
    static SecureRandom orDefault(SecureRandom random) {
        return random != null ? random : DefaultRandom.INSTANCE;
    }

    /**
     * A client of the server whose public key is {@code serverKey}, anonymous unless
     * {@code params} is {@link PssstParameterSpec#authenticated}. An authenticated client
     * computes X25519(c, S) here, once.
     */
    static ClientSession client(XECPublicKey serverKey, AlgorithmParameterSpec params, PssstX25519 x25519)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null && !(params instanceof PssstParameterSpec)) {
            throw new InvalidAlgorithmParameterException("PSSST takes a PssstParameterSpec (anonymous() or "
                    + "authenticated(clientPrivateKey)), not " + params.getClass().getName());
        }
        if (params != null && ((PssstParameterSpec) params).isServer()) {
            throw new InvalidAlgorithmParameterException("PssstParameterSpec.previousServerKeys is for the server "
                    + "role (the server's XECPrivateKey), not for a client (the server's XECPublicKey)");
        }
        checkX25519(serverKey, "the server's public key");
        XECPrivateKey clientKey = params == null ? null : ((PssstParameterSpec) params).clientKey().orElse(null);
        try {
            if (clientKey == null) {
                return ClientSession.anonymous(serverKey, x25519);
            }
            try {
                X25519.checkX25519(clientKey);
            } catch (InvalidKeyMaterialException e) {
                throw new InvalidAlgorithmParameterException("the client's private key in the PssstParameterSpec "
                        + "is not an X25519 key", e);
            }
            return ClientSession.authenticated(serverKey, clientKey, x25519);
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidKeyException("the server's public key is unusable: " + e.getMessage(), e);
        }
    }

    /**
     * A server holding {@code serverKey} and, with {@link PssstParameterSpec#previousServerKeys},
     * previous keys it still honours (a key rotation). The client forms of the spec are refused.
     */
    static ServerSession server(XECPrivateKey serverKey, AlgorithmParameterSpec params, PssstX25519 x25519)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null && !(params instanceof PssstParameterSpec && ((PssstParameterSpec) params).isServer())) {
            throw new InvalidAlgorithmParameterException("the server role (an XECPrivateKey) takes no parameters or "
                    + "PssstParameterSpec.previousServerKeys(...), not " + (params instanceof PssstParameterSpec
                    ? "a client's " + params : params.getClass().getName()));
        }
        checkX25519(serverKey, "the server's private key");
        List<XECPrivateKey> previous = params == null ? List.of() : ((PssstParameterSpec) params).previousServerKeys();
        for (int i = 0; i < previous.size(); i++) {
            try {
                X25519.checkX25519(previous.get(i));
            } catch (InvalidKeyMaterialException e) {
                throw new InvalidAlgorithmParameterException("previous server key " + i + " in the PssstParameterSpec "
                        + "is not an X25519 key", e);
            }
        }
        try {
            return ServerSession.of(serverKey, previous, x25519);
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidKeyException("the server's private key is unusable: " + e.getMessage(), e);
        }
    }

    private static void checkX25519(XECKey key, String what) throws InvalidKeyException {
        try {
            X25519.checkX25519(key);
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidKeyException(what + " is not an X25519 key (PSSST suite 1 uses X25519 only)", e);
        }
    }

    /**
     * The X25519 implementation of a provider: the one it was configured with, else the
     * system property's ({@link PssstX25519#configured()}), read when a {@code Cipher} or
     * {@code KeyAgreement} is initialised.
     *
     * @throws ProviderException if it comes from an invalid system property
     */
    static PssstX25519 x25519(PssstX25519 configured) {
        if (configured != null) {
            return configured;
        }
        try {
            return PssstX25519.configured();
        } catch (IllegalStateException e) {
            throw new ProviderException(e.getMessage(), e);
        }
    }

    /** The key's algorithm and class, for messages (never its value). */
    static String describe(Key key) {
        return key == null ? "null" : "a key of algorithm " + key.getAlgorithm() + " (" + key.getClass().getName() + ")";
    }
}
