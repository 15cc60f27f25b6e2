package io.pssst.internal;

import io.pssst.DecryptFailedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.ProviderException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets of one transaction, derived as PROTOCOL.md says:
 * {@code digest = SHA-256(dh_param || shared)}; AES-128 key = digest[0..16]; request nonce =
 * digest[16..24] || "RQST"; reply nonce = digest[24..32] || "RPLY"; and, for an
 * authenticated client's request, the client proof C || e sealed in front of the message.
 * And the AES-GCM step that uses them, through the JDK's {@code Cipher "AES/GCM/NoPadding"}.
 *
 * <p>Thread-safe as {@link Wipeable}: {@link #destroy()} never wipes the secrets under a
 * thread that is sealing or opening with them; that step finishes with them whole, and the
 * secrets are wiped when it ends. A step that starts after {@code destroy} is refused (it
 * returns false) and touches nothing. Which steps may run, and how often, is the owning
 * transaction's business (its state machine); this class only guarantees that each runs
 * with the real keys or not at all.
 *
 * <p>Callers check lengths before calling (a ciphertext shorter than the tag makes Java 17's
 * GCM throw an unchecked exception).
 */
final class TransactionKeys extends Wipeable {
    private static final byte[] REQUEST_LABEL = "RQST".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_LABEL = "RPLY".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_LENGTH = 16;
    private static final int NONCE_PREFIX = 8;

    /** The whole SHA-256 digest: key (16) || request nonce prefix (8) || reply nonce prefix (8). */
    private final byte[] digest;
    /** C || e of an authenticated request, sealed before its message; null when anonymous or once sealed. */
    private byte[] proof;
    private final int proofLength;

    private final Primitives primitives;

    private TransactionKeys(byte[] digest, byte[] proof, Primitives primitives) {
        this.digest = digest;
        this.proof = proof;
        this.proofLength = proof == null ? 0 : proof.length;
        this.primitives = primitives;
    }

    /** Bytes sealed in front of a request's message: the client proof's 64, or 0. */
    int proofLength() {
        return proofLength;
    }

    /** Derives the keys (with a JCA look-up per operation); the caller wipes {@code shared}. */
    static TransactionKeys derive(byte[] dhParam, byte[] shared) {
        return derive(dhParam, shared, null, Primitives.PER_OPERATION);
    }

    /**
     * Derives the keys of a request that carries the client proof {@code proof} (C || e,
     * 64 bytes; null for none), getting SHA-256 and AES-GCM from {@code primitives}. The keys
     * own {@code proof} from now on: they wipe it once the request is sealed, or when
     * destroyed. The caller wipes {@code shared}.
     */
    static TransactionKeys derive(byte[] dhParam, byte[] shared, byte[] proof, Primitives primitives) {
        MessageDigest sha = primitives.sha256();
        sha.update(dhParam);
        sha.update(shared);
        return new TransactionKeys(sha.digest(), proof, primitives);
    }

    /**
     * Seals the request (the client proof, if any, then {@code message}) or the reply into
     * {@code out} with the header as additional data; advances {@code message} to its limit
     * and {@code out} past the ciphertext and tag. The proof is wiped once the request is
     * sealed. The caller has checked that {@code out} has room and allows one seal per nonce.
     *
     * @return false, touching nothing, if the keys have been destroyed
     */
    boolean seal(boolean reply, byte[] header, ByteBuffer message, ByteBuffer out) {
        if (!enter()) {
            return false;
        }
        try {
            byte[] prefix = reply ? null : proof;
            try {
                aeadSeal(primitives, aesKey(), nonce(reply), header, prefix, message, out);
            } finally {
                if (prefix != null) {
                    Arrays.fill(prefix, (byte) 0);
                    proof = null;
                }
            }
            return true;
        } finally {
            exit();
        }
    }

    /**
     * Opens a whole datagram: its ciphertext, after the 36-byte prefix, with its own 4 header
     * bytes as received (reserved bits too) as the additional data, into {@code out}, which
     * has room for {@code datagram.remaining() - 52} bytes. Consumes {@code datagram} and
     * advances {@code out} on success; on failure moves neither, and the bytes of {@code out}
     * where the message would have gone are zeroed, so no unauthenticated plaintext is left
     * there (when opening in place, that region is where the ciphertext was). The caller has
     * checked the datagram's length (at least 52 bytes).
     *
     * @return false, touching nothing, if the keys have been destroyed
     */
    boolean openDatagram(boolean reply, ByteBuffer datagram, ByteBuffer out) throws DecryptFailedException {
        if (!enter()) {
            return false;
        }
        int start = datagram.position();
        try {
            byte[] header = Bytes.copyAt(datagram, start, Wire.HEADER_LENGTH);
            datagram.position(start + Wire.PREFIX_LENGTH);
            aeadOpen(primitives, aesKey(), nonce(reply), header, datagram, out, reply ? "reply" : "request");
            return true;
        } catch (DecryptFailedException | RuntimeException e) {
            datagram.position(start);
            throw e;
        } finally {
            exit();
        }
    }

    /** Overwrites the keys and the proof (best effort: the JDK's cipher objects keep their own copies). */
    @Override
    protected void wipe() {
        Arrays.fill(digest, (byte) 0);
        if (proof != null) {
            Arrays.fill(proof, (byte) 0);
        }
    }

    private SecretKeySpec aesKey() {
        return new SecretKeySpec(digest, 0, KEY_LENGTH, "AES");
    }

    /** The protocol's nonce: digest[16..24] || "RQST" for a request, digest[24..32] || "RPLY" for a reply. */
    private byte[] nonce(boolean reply) {
        byte[] nonce = new byte[12];
        System.arraycopy(digest, reply ? KEY_LENGTH + NONCE_PREFIX : KEY_LENGTH, nonce, 0, NONCE_PREFIX);
        System.arraycopy(reply ? REPLY_LABEL : REQUEST_LABEL, 0, nonce, NONCE_PREFIX, 4);
        return nonce;
    }

    // The AES-GCM step itself, with an explicit key, nonce and additional data. Production
    // code reaches it only through seal/open above, with the key and nonce derived from the
    // transaction; it is package-private so that the Wycheproof test can run the very same
    // step on its vectors. Never call it with a nonce of your own choosing.

    /** AES-GCM encryption of {@code prefix} (may be null) then {@code message}; see {@link #seal}. */
    static void aeadSeal(SecretKeySpec key, byte[] nonce, byte[] aad, byte[] prefix, ByteBuffer message,
            ByteBuffer out) {
        aeadSeal(Primitives.PER_OPERATION, key, nonce, aad, prefix, message, out);
    }

    private static void aeadSeal(Primitives primitives, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] prefix,
            ByteBuffer message, ByteBuffer out) {
        Cipher gcm = gcm(primitives, Cipher.ENCRYPT_MODE, key, nonce, aad);
        try {
            if (prefix != null) {
                gcm.update(ByteBuffer.wrap(prefix), out);
            }
            gcm.doFinal(message, out);
        } catch (GeneralSecurityException e) {
            throw new ProviderException("AES-GCM encryption failed", e);
        }
    }

    /**
     * AES-GCM decryption and tag check; see {@link #open}.
     *
     * @param what "request" or "reply", for the error message
     */
    static void aeadOpen(SecretKeySpec key, byte[] nonce, byte[] aad, ByteBuffer ciphertext, ByteBuffer out,
            String what) throws DecryptFailedException {
        aeadOpen(Primitives.PER_OPERATION, key, nonce, aad, ciphertext, out, what);
    }

    private static void aeadOpen(Primitives primitives, SecretKeySpec key, byte[] nonce, byte[] aad,
            ByteBuffer ciphertext, ByteBuffer out, String what) throws DecryptFailedException {
        Cipher gcm = gcm(primitives, Cipher.DECRYPT_MODE, key, nonce, aad);
        int inPos = ciphertext.position();
        int outPos = out.position();
        int length = Math.min(ciphertext.remaining() - Wire.TAG_LENGTH, out.limit() - outPos);
        // Java 25's AES-GCM misbehaves when the tag fails: into a direct buffer it zeroes from
        // index 0 up to the end of the output, clobbering the caller's bytes before out's
        // position; decrypting in place in a heap buffer it leaves the unauthenticated
        // plaintext there. (Java 17 writes nothing.) So the cipher gets a slice that starts at
        // the output region, and on failure that region is wiped whatever the JDK did.
        ByteBuffer target = out.slice();
        try {
            int written = gcm.doFinal(ciphertext, target);
            out.position(outPos + written);
        } catch (AEADBadTagException e) {
            ciphertext.position(inPos);
            out.position(outPos);
            Bytes.wipe(out, outPos, Math.max(0, length));
            throw new DecryptFailedException("the " + what
                    + "'s authentication tag does not verify: altered, truncated, or sealed for another key");
        } catch (GeneralSecurityException e) {
            throw new ProviderException("AES-GCM decryption failed", e);
        }
    }

    private static Cipher gcm(Primitives primitives, int mode, SecretKeySpec key, byte[] nonce, byte[] aad) {
        GCMParameterSpec spec = new GCMParameterSpec(8 * Wire.TAG_LENGTH, nonce);
        Cipher gcm = primitives.gcm();
        try {
            try {
                gcm.init(mode, key, spec);
            } catch (InvalidAlgorithmParameterException e) {
                // A reused Cipher refuses to encrypt again with the key and nonce of its last
                // encryption. PSSST does that legitimately: a replayed request is answered
                // again under its own reply nonce. A fresh instance has no such memory.
                gcm = Primitives.PER_OPERATION.gcm();
                gcm.init(mode, key, spec);
            }
            gcm.updateAAD(aad);
            return gcm;
        } catch (GeneralSecurityException e) {
            throw new ProviderException("the AES/GCM/NoPadding Cipher refused a 128-bit key and a 96-bit nonce", e);
        }
    }

}
