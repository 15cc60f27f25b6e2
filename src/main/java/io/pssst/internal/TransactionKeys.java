package io.pssst.internal;

import io.pssst.DecryptFailedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
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
 * digest[16..24] || "RQST"; reply nonce = digest[24..32] || "RPLY". And the AES-GCM step that
 * uses them, through the JDK's {@code Cipher "AES/GCM/NoPadding"}.
 *
 * <p>Callers check lengths before calling (a ciphertext shorter than the tag makes Java 17's
 * GCM throw an unchecked exception). Not thread-safe by itself: the transaction objects that
 * own an instance serialise its use.
 */
final class TransactionKeys {
    private static final byte[] REQUEST_LABEL = "RQST".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_LABEL = "RPLY".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_LENGTH = 16;
    private static final int NONCE_PREFIX = 8;

    /** The whole SHA-256 digest: key (16) || request nonce prefix (8) || reply nonce prefix (8). */
    private final byte[] digest;

    private TransactionKeys(byte[] digest) {
        this.digest = digest;
    }

    /** Derives the keys; the caller wipes {@code shared}. */
    static TransactionKeys derive(byte[] dhParam, byte[] shared) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(dhParam);
            sha.update(shared);
            return new TransactionKeys(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new ProviderException("no SHA-256 MessageDigest installed", e);
        }
    }

    /**
     * Seals {@code prefix} (may be null) followed by {@code message} into {@code out} with
     * the header as additional data; advances {@code message} to its limit and {@code out}
     * past the ciphertext and tag. The caller has checked that {@code out} has room.
     */
    void seal(boolean reply, byte[] header, byte[] prefix, ByteBuffer message, ByteBuffer out) {
        aeadSeal(aesKey(), nonce(reply), header, prefix, message, out);
    }

    /**
     * Opens {@code ciphertext} (its remaining bytes: ciphertext || tag, at least 16) into
     * {@code out}, which has room for {@code ciphertext.remaining() - 16} bytes. Advances
     * both buffers on success; on failure moves neither, and the bytes of {@code out} where
     * the message would have gone are zeroed, so no unauthenticated plaintext is left there
     * (when opening in place, that region is where the ciphertext was).
     */
    void open(boolean reply, byte[] header, ByteBuffer ciphertext, ByteBuffer out) throws DecryptFailedException {
        aeadOpen(aesKey(), nonce(reply), header, ciphertext, out, reply ? "reply" : "request");
    }

    /**
     * Opens a whole datagram: its ciphertext, after the 36-byte prefix, with its own 4 header
     * bytes as received (reserved bits too) as the additional data. Consumes {@code datagram}
     * on success; on failure moves neither buffer, as {@link #open}. The caller has checked
     * the datagram's length (at least 52 bytes) and that {@code out} has room.
     */
    void openDatagram(boolean reply, ByteBuffer datagram, ByteBuffer out) throws DecryptFailedException {
        int start = datagram.position();
        byte[] header = Bytes.copyAt(datagram, start, Wire.HEADER_LENGTH);
        datagram.position(start + Wire.PREFIX_LENGTH);
        try {
            open(reply, header, datagram, out);
        } catch (DecryptFailedException | RuntimeException e) {
            datagram.position(start);
            throw e;
        }
    }

    /** Overwrites the key and nonces (best effort: the JDK's cipher objects keep their own copies). */
    void destroy() {
        Arrays.fill(digest, (byte) 0);
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
        Cipher gcm = gcm(Cipher.ENCRYPT_MODE, key, nonce, aad);
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
        Cipher gcm = gcm(Cipher.DECRYPT_MODE, key, nonce, aad);
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

    private static Cipher gcm(int mode, SecretKeySpec key, byte[] nonce, byte[] aad) {
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(mode, key, new GCMParameterSpec(8 * Wire.TAG_LENGTH, nonce));
            gcm.updateAAD(aad);
            return gcm;
        } catch (GeneralSecurityException e) {
            throw new ProviderException("no usable AES/GCM/NoPadding Cipher installed", e);
        }
    }
}
