package io.pssst.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.ProviderException;
import javax.crypto.Cipher;

/**
 * Where the engine gets the JDK's SHA-256 and AES-GCM ({@code MessageDigest "SHA-256"},
 * {@code Cipher "AES/GCM/NoPadding"}), in one of two ways:
 *
 * <ul>
 *   <li>{@link #PER_OPERATION}, with the JDK's X25519 (the default): a JCA look-up for every
 *       operation, as JCA code usually does, so a provider installed at any time is used from
 *       the next operation on;</li>
 *   <li>{@link #PER_THREAD}, with the built-in X25519: each thread looks them up once and
 *       reuses its instances (the look-up costs about 3 KB of allocation and a few
 *       microseconds per operation, which matters once X25519 is fast). The provider is the
 *       one that served the thread's first transaction: install providers before starting
 *       PSSST work, which is what the built-in option already implies — PSSST doing its own
 *       arithmetic instead of asking the JCA.</li>
 * </ul>
 *
 * Either way an instance serves one operation at a time on one thread: every use starts
 * with {@code init} (or {@code digest} resets it), and nothing calls back into the engine in
 * between.
 */
enum Primitives {
    PER_OPERATION {
        @Override
        MessageDigest sha256() {
            return newSha256();
        }

        @Override
        Cipher gcm() {
            return newGcm();
        }
    },
    PER_THREAD {
        @Override
        MessageDigest sha256() {
            return SHA256.get();
        }

        @Override
        Cipher gcm() {
            return GCM.get();
        }
    };

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Primitives::newSha256);
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(Primitives::newGcm);

    /** A SHA-256 digest, reset. */
    abstract MessageDigest sha256();

    /** An AES-GCM cipher, to be initialised by the caller. */
    abstract Cipher gcm();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new ProviderException("no SHA-256 MessageDigest installed", e);
        }
    }

    private static Cipher newGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new ProviderException("no usable AES/GCM/NoPadding Cipher installed", e);
        }
    }
}
