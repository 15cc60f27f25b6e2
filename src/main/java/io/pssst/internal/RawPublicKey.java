package io.pssst.internal;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.math.BigInteger;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;

/**
 * An X25519 point held as its raw 32-byte little-endian u-coordinate in an array the engine
 * owns and wipes, seen through the standard {@link XECPublicKey} interface so that the JDK's
 * {@code KeyAgreement "X25519"} can use it. For a point that is secret (an authenticated
 * client's CS = X25519(c, S), a bearer credential): the JDK's own key objects hold a
 * {@code BigInteger} that nobody can wipe, and keep it as long as the key lives; this one
 * holds only the array, and each {@link #getU()} makes a short-lived {@code BigInteger} for
 * the one operation that asked. Never serialised, never printed.
 */
final class RawPublicKey implements XECPublicKey {
    private static final long serialVersionUID = 1L;
    /** DER prefix of an X25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { AlgorithmIdentifier 1.3.101.110, BIT STRING }. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private final transient byte[] raw;

    /** A view of {@code raw} (not copied: the caller keeps owning, and wipes, the array). */
    RawPublicKey(byte[] raw) {
        this.raw = raw;
    }

    /** u, with bit 255 ignored as RFC 7748 requires; the JDK reduces non-canonical values mod p. */
    @Override
    public BigInteger getU() {
        return X25519.u(raw, 0);
    }

    @Override
    public AlgorithmParameterSpec getParams() {
        return NamedParameterSpec.X25519;
    }

    @Override
    public String getAlgorithm() {
        return "XDH";
    }

    @Override
    public String getFormat() {
        return "X.509";
    }

    /** The X.509 encoding, for providers that translate keys through a {@code KeyFactory}: a new array the caller owns. */
    @Override
    public byte[] getEncoded() {
        byte[] der = java.util.Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + X25519.KEY_LENGTH);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, X25519.KEY_LENGTH);
        der[der.length - 1] &= 0x7f;
        return der;
    }

    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("an engine-held X25519 point is never serialised");
    }

    @Override
    public String toString() {
        return "X25519 point (engine-held)";
    }
}
