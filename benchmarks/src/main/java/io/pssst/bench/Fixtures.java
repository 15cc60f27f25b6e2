package io.pssst.bench;

import io.pssst.PssstKeys;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.SplittableRandom;
import javax.crypto.KeyAgreement;

/** Keys and messages shared by the benchmarks. Nothing here is measured. */
final class Fixtures {
    /** Room for any datagram. */
    static final int BUFFER = 65_536;

    final XECPublicKey serverPublic;
    final XECPrivateKey serverPrivate;
    final XECPrivateKey clientPrivate;

    Fixtures() {
        KeyPair server = PssstKeys.generateKeyPair();
        KeyPair client = PssstKeys.generateKeyPair();
        serverPublic = (XECPublicKey) server.getPublic();
        serverPrivate = (XECPrivateKey) server.getPrivate();
        clientPrivate = (XECPrivateKey) client.getPrivate();
    }

    /** {@code size} pseudo-random bytes (content does not matter to AES-GCM or X25519). */
    static byte[] message(int size) {
        byte[] m = new byte[size];
        new SplittableRandom(size).nextBytes(m);
        return m;
    }

    /** A heap buffer holding {@code message(size)}, position 0, limit size. */
    static ByteBuffer heapMessage(int size) {
        return ByteBuffer.wrap(message(size));
    }

    /** A direct buffer holding {@code message(size)}, position 0, limit size. */
    static ByteBuffer directMessage(int size) {
        return ByteBuffer.allocateDirect(size).put(message(size)).flip();
    }

    /** One X25519 agreement through the JCA as the engine does it: a new KeyAgreement, init, doPhase, generateSecret. */
    static byte[] jdkAgreement(PrivateKey k, PublicKey u) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(k);
        ka.doPhase(u, true);
        return ka.generateSecret();
    }
}
