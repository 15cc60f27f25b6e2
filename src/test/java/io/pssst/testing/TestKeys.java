package io.pssst.testing;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstKeys;
import io.pssst.internal.Bytes;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic X25519 key pairs for tests, and the curve's low-order points. */
public final class TestKeys {

    /**
     * Every 32-byte encoding of a small-order point of curve25519 and its twist; X25519 with
     * any clamped scalar gives the all-zero output for each (orders as in libsodium's list):
     * u = 0 (order 4), u = 1 (order 1), the two points of order 8, u = p - 1 (order 2), the
     * non-canonical u = p (= 0) and u = p + 1 (= 1), and each of those seven with bit 255 set
     * (X25519 ignores that bit, so it is the same point; for the order-8 points and p - 1 it
     * is the only other encoding, as u + p needs more than 255 bits).
     */
    public static final List<String> LOW_ORDER = List.of(
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "0100000000000000000000000000000000000000000000000000000000000080",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

    /** A key pair and its raw private scalar. */
    public record Pair(byte[] rawPrivate, XECPrivateKey privateKey, XECPublicKey publicKey) {
        public byte[] rawPublic() {
            try {
                return PssstKeys.toRaw(publicKey);
            } catch (InvalidKeyMaterialException e) {
                throw new AssertionError(e);
            }
        }
    }

    private TestKeys() {
    }

    /** The key pair whose scalar is 32 bytes drawn from a generator seeded with {@code seed}. */
    public static Pair pair(long seed) {
        byte[] raw = bytes(new SplittableRandom(seed), 32);
        try {
            XECPrivateKey k = PssstKeys.privateKey(raw);
            return new Pair(raw, k, PssstKeys.publicKeyOf(k));
        } catch (InvalidKeyMaterialException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code n} bytes from {@code random}. */
    public static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    /** The raw bytes of a low-order encoding from {@link #LOW_ORDER}. */
    public static byte[] lowOrder(String hex) {
        return Bytes.unhex(hex);
    }
}
