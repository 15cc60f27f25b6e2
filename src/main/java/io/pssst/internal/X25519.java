package io.pssst.internal;

import io.pssst.InvalidKeyMaterialException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.interfaces.XECKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) through the JDK's standard JCA names ({@code KeyFactory "X25519"},
 * {@code KeyAgreement "X25519"}), so whichever provider the user installed for X25519 does
 * the arithmetic. This class only converts between raw 32-byte strings and key objects and
 * refuses all-zero results.
 */
public final class X25519 {
    public static final int KEY_LENGTH = 32;

    /** The base point u = 9 as a public key: X25519(k, BASE) is k's public key. */
    private static final XECPublicKey BASE_POINT = (XECPublicKey) publicKey(BigInteger.valueOf(9));

    /** The field prime p = 2^255 - 19. */
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    /**
     * The u-coordinates (mod p) of every point of small order on curve25519 and its twist:
     * 0, 1, p - 1 and the two of order 8 (the list libsodium and RFC 7748's references use).
     */
    private static final Set<BigInteger> SMALL_ORDER_U = Set.of(BigInteger.ZERO, BigInteger.ONE,
            P.subtract(BigInteger.ONE),
            new BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504"),
            new BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823"));

    private X25519() {
    }

    /** The base point u = 9 as a public key. */
    static XECPublicKey basePoint() {
        return BASE_POINT;
    }

    /** X25519(k, 9): the public key of a private key, as a raw 32-byte string. */
    public static byte[] publicOf(PrivateKey k) throws InvalidKeyMaterialException {
        return agree(k, BASE_POINT);
    }

    /**
     * X25519(k, u) as a raw 32-byte string.
     *
     * @throws InvalidKeyMaterialException if the result is all zero (u is a low-order point)
     *         or the keys are not X25519 keys
     */
    public static byte[] agree(PrivateKey k, PublicKey u) throws InvalidKeyMaterialException {
        byte[] shared;
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(k);
            ka.doPhase(u, true);
            shared = ka.generateSecret();
        } catch (InvalidKeyException e) {
            // The JDK refuses an all-zero result here ("Point has small order").
            throw new InvalidKeyMaterialException("X25519 refused the key: low-order point or not an X25519 key", e);
        } catch (NoSuchAlgorithmException e) {
            throw new ProviderException("no X25519 KeyAgreement installed", e);
        } catch (IllegalStateException e) {
            throw new ProviderException("X25519 KeyAgreement misbehaved", e);
        }
        if (shared.length != KEY_LENGTH || isAllZero(shared)) {
            Arrays.fill(shared, (byte) 0);
            throw new InvalidKeyMaterialException("X25519 result is all zero: the peer's point has low order");
        }
        return shared;
    }

    /**
     * Refuses a point of small order (RFC 7748 section 6.1): X25519 of any clamped scalar with
     * it is all zero, so no transaction with it could ever be keyed. No X25519 operation: the
     * key's u, reduced mod p (with and without bit 255, as implementations differ on keys
     * built from a {@code BigInteger}), is compared with the five small-order u-coordinates.
     * The key is public, so the comparison need not be constant-time.
     *
     * @throws InvalidKeyMaterialException if {@code u} has small order
     */
    public static void checkNotLowOrder(XECPublicKey key) throws InvalidKeyMaterialException {
        BigInteger u = key.getU();
        if (SMALL_ORDER_U.contains(u.mod(P)) || SMALL_ORDER_U.contains(u.clearBit(255).mod(P))) {
            throw new InvalidKeyMaterialException("the X25519 public key is a low-order point: "
                    + "every shared secret with it would be all zero");
        }
    }

    /** A private key from a raw 32-byte scalar (any bytes: X25519 clamps). */
    public static PrivateKey privateKey(byte[] scalar) throws InvalidKeyMaterialException {
        checkLength(scalar, "private key");
        try {
            return keyFactory().generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyMaterialException("X25519 refused the private key", e);
        }
    }

    /** A private key from {@code length} raw bytes of {@code buf} at {@code offset}. */
    public static PrivateKey privateKey(byte[] buf, int offset) throws InvalidKeyMaterialException {
        byte[] scalar = Arrays.copyOfRange(buf, offset, offset + KEY_LENGTH);
        try {
            return privateKey(scalar);
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /**
     * A public key from a raw 32-byte little-endian u-coordinate. As RFC 7748 requires, the
     * top bit is ignored; non-canonical values (u &ge; 2^255 - 19) are reduced by the JDK.
     */
    public static XECPublicKey publicKey(byte[] raw) throws InvalidKeyMaterialException {
        checkLength(raw, "public key");
        return publicKey(raw, 0);
    }

    /** A public key from 32 raw bytes of {@code buf} at {@code offset}. */
    public static XECPublicKey publicKey(byte[] buf, int offset) {
        return (XECPublicKey) publicKey(u(buf, offset));
    }

    /**
     * The u-coordinate of 32 raw little-endian bytes of {@code buf} at {@code offset}, bit 255
     * ignored as RFC 7748 requires. The big-endian copy made on the way is wiped (the bytes may
     * be a secret point); the {@code BigInteger} cannot be.
     */
    static BigInteger u(byte[] buf, int offset) {
        byte[] be = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            be[i] = buf[offset + KEY_LENGTH - 1 - i];
        }
        be[0] &= 0x7f;
        try {
            return new BigInteger(1, be);
        } finally {
            Arrays.fill(be, (byte) 0);
        }
    }

    private static PublicKey publicKey(BigInteger u) {
        try {
            return keyFactory().generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
        } catch (InvalidKeySpecException e) {
            throw new ProviderException("X25519 KeyFactory refused a u-coordinate below 2^255", e);
        }
    }

    /** The raw 32-byte little-endian encoding of a public key. */
    public static byte[] raw(XECPublicKey key) throws InvalidKeyMaterialException {
        checkX25519(key);
        BigInteger u = key.getU();
        if (u.signum() < 0 || u.bitLength() > 8 * KEY_LENGTH) {
            throw new InvalidKeyMaterialException("X25519 public key u-coordinate is out of range");
        }
        byte[] be = u.toByteArray(); // big-endian, at most 33 bytes with a leading sign byte
        byte[] le = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    /** Refuses keys of another curve (X448) or of no named curve. */
    public static void checkX25519(XECKey key) throws InvalidKeyMaterialException {
        AlgorithmParameterSpec params = key.getParams();
        if (!(params instanceof NamedParameterSpec)
                || !"X25519".equalsIgnoreCase(((NamedParameterSpec) params).getName())) {
            throw new InvalidKeyMaterialException("not an X25519 key (PSSST suite 1 uses X25519 only)");
        }
    }

    /** Constant-time: true if every byte is zero. */
    public static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static void checkLength(byte[] raw, String what) throws InvalidKeyMaterialException {
        if (raw == null || raw.length != KEY_LENGTH) {
            throw new InvalidKeyMaterialException("raw X25519 " + what + " must be 32 bytes, not "
                    + (raw == null ? "null" : raw.length));
        }
    }

    /** {@code KeyFactory "X25519"} from whichever provider offers it. */
    public static KeyFactory keyFactory() {
        try {
            return KeyFactory.getInstance("X25519");
        } catch (GeneralSecurityException e) {
            throw new ProviderException("no X25519 KeyFactory installed", e);
        }
    }
}
