package io.pssst;

import io.pssst.internal.Bytes;
import io.pssst.internal.X25519;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Reading and writing X25519 keys in the forms people have them: raw 32-byte strings (the
 * protocol's form), hex, DER and PEM (X.509 SubjectPublicKeyInfo and PKCS#8 — what
 * {@code openssl genpkey -algorithm X25519} and {@code openssl pkey -pubout} write).
 *
 * <p>Keys are the JDK's {@link XECPublicKey} and {@link XECPrivateKey}, made by
 * {@code KeyFactory "X25519"}. Every parse error is an {@link InvalidKeyMaterialException}
 * saying what was wrong; no message ever contains key bytes. Stateless and thread-safe; every
 * array and string returned is new, and no argument is retained.
 */
public final class PssstKeys {
    private static final String PUBLIC_LABEL = KeyText.PUBLIC_LABEL;
    private static final String PRIVATE_LABEL = KeyText.PRIVATE_LABEL;
    /** DER prefix of an X25519 PKCS#8 v1 private key: SEQUENCE, version 0, id-X25519, OCTET STRING(OCTET STRING(32)). */
    private static final byte[] PKCS8_PREFIX = Bytes.unhex("302e020100300506032b656e04220420");
    /** The same for PKCS#8 v2 (OneAsymmetricKey) with its public key: version 1, and 83 bytes in all. */
    private static final byte[] PKCS8_V2_PREFIX = Bytes.unhex("3051020101300506032b656e04220420");
    /** What follows the scalar in v2: [1] IMPLICIT BIT STRING of 33 bytes, no unused bits. */
    private static final byte[] PKCS8_V2_PUBLIC = Bytes.unhex("812100");

    private PssstKeys() {
    }

    /**
     * A fresh X25519 key pair from the JDK's default strong source.
     *
     * @return a new key pair (an {@code XECPublicKey} and an {@code XECPrivateKey})
     * @throws java.security.ProviderException if no {@code KeyPairGenerator "X25519"} is installed
     */
    public static KeyPair generateKeyPair() {
        return generateKeyPair(new SecureRandom());
    }

    /**
     * A fresh X25519 key pair drawing from {@code random}.
     *
     * @param random the source of the private scalar
     * @return a new key pair (an {@code XECPublicKey} and an {@code XECPrivateKey})
     * @throws java.security.ProviderException if no {@code KeyPairGenerator "X25519"} is installed
     */
    public static KeyPair generateKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(NamedParameterSpec.X25519, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new ProviderException("no X25519 KeyPairGenerator installed", e);
        }
    }

    /**
     * A public key from its raw 32-byte little-endian form (the protocol's form). As RFC 7748
     * requires, the top bit is ignored; a non-canonical u (&ge; 2^255 - 19) is reduced. The
     * array is not retained.
     *
     * @param raw 32 bytes, little-endian
     * @return the public key
     * @throws InvalidKeyMaterialException if {@code raw} is not 32 bytes
     */
    public static XECPublicKey publicKey(byte[] raw) throws InvalidKeyMaterialException {
        return X25519.publicKey(raw);
    }

    /**
     * A private key from its raw 32-byte scalar (any 32 bytes: X25519 clamps). The array is
     * not retained; the caller should wipe it.
     *
     * @param raw the 32-byte scalar
     * @return the private key
     * @throws InvalidKeyMaterialException if {@code raw} is not 32 bytes
     */
    public static XECPrivateKey privateKey(byte[] raw) throws InvalidKeyMaterialException {
        return (XECPrivateKey) X25519.privateKey(raw);
    }

    /**
     * The raw 32-byte form of a public key (a new array).
     *
     * @param key an X25519 public key
     * @return 32 bytes, little-endian
     * @throws InvalidKeyMaterialException if the key is not an X25519 key
     */
    public static byte[] toRaw(XECPublicKey key) throws InvalidKeyMaterialException {
        return X25519.raw(key);
    }

    /**
     * The raw 32-byte scalar of a private key (a copy the caller should wipe).
     *
     * @param key an X25519 private key whose scalar is extractable
     * @return the 32-byte scalar
     * @throws InvalidKeyMaterialException if the key is not an X25519 key, or its scalar is
     *         not extractable
     */
    public static byte[] toRaw(XECPrivateKey key) throws InvalidKeyMaterialException {
        X25519.checkX25519(key);
        byte[] k = key.getScalar().orElseThrow(
                () -> new InvalidKeyMaterialException("the private key's scalar is not extractable"));
        if (k.length != X25519.KEY_LENGTH) {
            Arrays.fill(k, (byte) 0);
            throw new InvalidKeyMaterialException("X25519 private scalar must be 32 bytes, not " + k.length);
        }
        return k;
    }

    /**
     * The public key that belongs to {@code key}: X25519(k, 9). Works with a key whose scalar
     * is not extractable.
     *
     * @param key an X25519 private key
     * @return its public key
     * @throws InvalidKeyMaterialException if the key is not an X25519 key
     */
    public static XECPublicKey publicKeyOf(XECPrivateKey key) throws InvalidKeyMaterialException {
        X25519.checkX25519(key);
        return X25519.publicKey(X25519.publicOf(key));
    }

    /**
     * Lower-case hex of the raw public key (64 characters).
     *
     * @param key an X25519 public key
     * @return 64 lower-case hex digits
     * @throws InvalidKeyMaterialException if the key is not an X25519 key
     */
    public static String toHex(XECPublicKey key) throws InvalidKeyMaterialException {
        return Bytes.hex(toRaw(key));
    }

    /**
     * A public key from 64 hex digits, either case; surrounding white space is ignored.
     *
     * @param hex 64 hex digits
     * @return the public key
     * @throws InvalidKeyMaterialException if {@code hex} is not 64 hex digits
     */
    public static XECPublicKey publicKeyFromHex(String hex) throws InvalidKeyMaterialException {
        return publicKey(KeyText.unhex(hex, "public"));
    }

    /**
     * A private key from 64 hex digits, either case; surrounding white space is ignored.
     *
     * @param hex 64 hex digits
     * @return the private key
     * @throws InvalidKeyMaterialException if {@code hex} is not 64 hex digits
     */
    public static XECPrivateKey privateKeyFromHex(String hex) throws InvalidKeyMaterialException {
        return privateKeyFromHex((CharSequence) hex);
    }

    private static XECPrivateKey privateKeyFromHex(CharSequence hex) throws InvalidKeyMaterialException {
        byte[] raw = KeyText.unhex(hex, "private");
        try {
            return privateKey(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * A public key from DER X.509 SubjectPublicKeyInfo. Strict about the DER: it must be the
     * one canonical DER form of an X25519 key (44 bytes: the algorithm identifier without
     * parameters, and a 32-byte bit string); anything else is refused. The 32 bytes are the
     * key's u-coordinate as RFC 7748 encodes it, so, as RFC 7748 says, its bit 255 is
     * ignored: a key whose encoding has it set is the same key as with it clear, and
     * {@link #toDer(XECPublicKey)} writes it clear.
     *
     * @param der the DER encoding
     * @return the public key
     * @throws InvalidKeyMaterialException if {@code der} is not that encoding
     */
    public static XECPublicKey publicKeyFromDer(byte[] der) throws InvalidKeyMaterialException {
        try {
            XECPublicKey key = (XECPublicKey) X25519.keyFactory().generatePublic(new X509EncodedKeySpec(der));
            X25519.checkX25519(key);
            if (!Arrays.equals(key.getEncoded(), der)) {
                throw new InvalidKeyMaterialException("not a canonical DER X.509 SubjectPublicKeyInfo for X25519");
            }
            return key;
        } catch (InvalidKeySpecException | ClassCastException | IllegalArgumentException e) {
            throw new InvalidKeyMaterialException("not a DER X.509 SubjectPublicKeyInfo for an X25519 key", e);
        }
    }

    /**
     * A private key from DER PKCS#8. Strict, and the same on every JDK (whose own parsers
     * differ: Java 17 ignores trailing bytes, Java 25 accepts non-minimal lengths): exactly two
     * encodings are accepted, byte for byte —
     * <ul>
     * <li>PKCS#8 v1, the 48 bytes {@code openssl genpkey} and the JDK write:
     * {@code 302e020100300506032b656e04220420 || k};</li>
     * <li>PKCS#8 v2 (RFC 5958 OneAsymmetricKey) carrying its public key, 83 bytes:
     * {@code 3051020101300506032b656e04220420 || k || 812100 || X25519(k, 9)}, whose public key
     * must belong to {@code k}.</li>
     * </ul>
     * Anything else (trailing bytes, other lengths, attributes, another algorithm) is refused.
     *
     * @param der the DER encoding
     * @return the private key
     * @throws InvalidKeyMaterialException if {@code der} is not one of those encodings
     */
    public static XECPrivateKey privateKeyFromDer(byte[] der) throws InvalidKeyMaterialException {
        boolean v1 = der.length == PKCS8_PREFIX.length + X25519.KEY_LENGTH && startsWith(der, PKCS8_PREFIX);
        boolean v2 = der.length == PKCS8_V2_PREFIX.length + X25519.KEY_LENGTH + PKCS8_V2_PUBLIC.length + X25519.KEY_LENGTH
                && startsWith(der, PKCS8_V2_PREFIX)
                && Arrays.equals(der, PKCS8_V2_PREFIX.length + X25519.KEY_LENGTH,
                        PKCS8_V2_PREFIX.length + X25519.KEY_LENGTH + PKCS8_V2_PUBLIC.length, PKCS8_V2_PUBLIC, 0,
                        PKCS8_V2_PUBLIC.length);
        if (!v1 && !v2) {
            throw new InvalidKeyMaterialException("not a DER PKCS#8 X25519 private key: expected the 48-byte v1"
                    + " encoding (or the 83-byte v2 one with its public key), got " + der.length + " bytes that are neither");
        }
        byte[] k = Arrays.copyOfRange(der, PKCS8_PREFIX.length, PKCS8_PREFIX.length + X25519.KEY_LENGTH);
        try {
            XECPrivateKey key = privateKey(k);
            if (v2 && !Arrays.equals(X25519.publicOf(key), Arrays.copyOfRange(der, der.length - X25519.KEY_LENGTH,
                    der.length))) {
                throw new InvalidKeyMaterialException("the PKCS#8 v2 key's public key does not belong to its private key");
            }
            return key;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * DER X.509 SubjectPublicKeyInfo (44 bytes), the canonical encoding whatever provider
     * made the key.
     *
     * @param key an X25519 public key
     * @return the 44-byte DER encoding
     * @throws InvalidKeyMaterialException if the key is not an X25519 key
     */
    public static byte[] toDer(XECPublicKey key) throws InvalidKeyMaterialException {
        return X25519.publicKey(toRaw(key)).getEncoded();
    }

    /**
     * DER PKCS#8 v1 (48 bytes), the form OpenSSL writes. The caller should wipe it.
     *
     * @param key an X25519 private key whose scalar is extractable
     * @return the 48-byte DER encoding
     * @throws InvalidKeyMaterialException if the key is not an X25519 key, or its scalar is
     *         not extractable
     */
    public static byte[] toDer(XECPrivateKey key) throws InvalidKeyMaterialException {
        byte[] k = toRaw(key);
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + k.length);
        System.arraycopy(k, 0, der, PKCS8_PREFIX.length, k.length);
        Arrays.fill(k, (byte) 0);
        return der;
    }

    /**
     * PEM ("PUBLIC KEY"), as {@code openssl pkey -pubout} writes it.
     *
     * @param key an X25519 public key
     * @return the PEM text
     * @throws InvalidKeyMaterialException if the key is not an X25519 key
     */
    public static String toPem(XECPublicKey key) throws InvalidKeyMaterialException {
        return new String(KeyText.pem(PUBLIC_LABEL, toDer(key)), StandardCharsets.US_ASCII);
    }

    /**
     * PEM ("PRIVATE KEY", PKCS#8 v1), as {@code openssl genpkey} writes it.
     *
     * @param key an X25519 private key whose scalar is extractable
     * @return the PEM text
     * @throws InvalidKeyMaterialException if the key is not an X25519 key, or its scalar is
     *         not extractable
     */
    public static String toPem(XECPrivateKey key) throws InvalidKeyMaterialException {
        byte[] pem = toPemBytes(key);
        try {
            return new String(pem, StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(pem, (byte) 0);
        }
    }

    /**
     * The same PEM as {@link #toPem(XECPrivateKey)}, as US-ASCII bytes (what a key file holds):
     * a new array the caller should wipe. No {@code String} of the key is made.
     *
     * @param key the private key
     * @return the PEM text's bytes
     * @throws InvalidKeyMaterialException if the key is not an X25519 key, or its scalar is
     *         not extractable
     */
    public static byte[] toPemBytes(XECPrivateKey key) throws InvalidKeyMaterialException {
        byte[] der = toDer(key);
        try {
            return KeyText.pem(PRIVATE_LABEL, der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * A public key from PEM ("-----BEGIN PUBLIC KEY-----"), as strict as
     * {@link #publicKeyFromDer}; text around the block is ignored.
     *
     * @param pem text holding one PEM block
     * @return the public key
     * @throws InvalidKeyMaterialException if there is no such block, its base64 is invalid,
     *         or its content is not an X25519 public key
     */
    public static XECPublicKey publicKeyFromPem(String pem) throws InvalidKeyMaterialException {
        return publicKeyFromDer(KeyText.unpem(pem, PUBLIC_LABEL));
    }

    /**
     * A private key from PEM ("-----BEGIN PRIVATE KEY-----", PKCS#8), as strict as
     * {@link #privateKeyFromDer}; text around the block is ignored.
     *
     * @param pem text holding one PEM block
     * @return the private key
     * @throws InvalidKeyMaterialException if there is no such block, its base64 is invalid,
     *         or its content is not an X25519 private key
     */
    public static XECPrivateKey privateKeyFromPem(String pem) throws InvalidKeyMaterialException {
        return privateKeyFromPem((CharSequence) pem);
    }

    private static XECPrivateKey privateKeyFromPem(CharSequence pem) throws InvalidKeyMaterialException {
        byte[] der = KeyText.unpem(pem, PRIVATE_LABEL);
        try {
            return privateKeyFromDer(der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * A public key from text in any supported form: PEM or 64 hex digits (surrounding white
     * space ignored).
     *
     * @param text PEM or hex text
     * @return the public key
     * @throws InvalidKeyMaterialException if the text is neither form of an X25519 public key
     */
    public static XECPublicKey parsePublicKey(String text) throws InvalidKeyMaterialException {
        return parsePublicKey((CharSequence) text);
    }

    /**
     * {@link #parsePublicKey(String)} for text in an array, such as a file's content, which
     * the caller can wipe afterwards (the file may hold a private key by mistake). The array
     * is not retained, and no {@code String} of its content is made.
     *
     * @param text the key as hex or PEM
     * @return the public key
     * @throws InvalidKeyMaterialException if the text is neither form of an X25519 public key
     */
    public static XECPublicKey parsePublicKey(char[] text) throws InvalidKeyMaterialException {
        return parsePublicKey(CharBuffer.wrap(text));
    }

    private static XECPublicKey parsePublicKey(CharSequence text) throws InvalidKeyMaterialException {
        CharSequence t = KeyText.strip(text);
        return KeyText.isPem(t) ? publicKeyFromDer(KeyText.unpem(t, PUBLIC_LABEL)) : publicKey(KeyText.unhex(t, "public"));
    }

    /**
     * A private key from text in any supported form: PEM (PKCS#8) or 64 hex digits
     * (surrounding white space ignored).
     *
     * @param text PEM or hex text
     * @return the private key
     * @throws InvalidKeyMaterialException if the text is neither form of an X25519 private key
     */
    public static XECPrivateKey parsePrivateKey(String text) throws InvalidKeyMaterialException {
        return parsePrivateKey((CharSequence) text);
    }

    /**
     * {@link #parsePrivateKey(String)} for text in an array, such as a key file's content,
     * which the caller should wipe afterwards. The array is not retained, no {@code String} of
     * its content is made, and every array this method fills with key material (the PEM body,
     * its DER, the scalar) is wiped before it returns.
     *
     * @param text the key as hex or PEM
     * @return the private key
     * @throws InvalidKeyMaterialException if the text is neither form of an X25519 private key
     */
    public static XECPrivateKey parsePrivateKey(char[] text) throws InvalidKeyMaterialException {
        return parsePrivateKey(CharBuffer.wrap(text));
    }

    private static XECPrivateKey parsePrivateKey(CharSequence text) throws InvalidKeyMaterialException {
        CharSequence t = KeyText.strip(text);
        return KeyText.isPem(t) ? privateKeyFromPem(t) : privateKeyFromHex(t);
    }
}
