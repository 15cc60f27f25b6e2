package io.pssst.internal;

import io.pssst.MalformedPacketException;
import io.pssst.NotReplyException;
import io.pssst.NotRequestException;
import io.pssst.UnsupportedSuiteException;
import java.nio.ByteBuffer;

/**
 * The wire layout of PSSST datagrams (PROTOCOL.md): constants and the cheap header checks
 * that run before any cryptography. Pure functions of the bytes; no I/O, no JCA.
 *
 * <pre>
 *   offset 0  uint16 flags (0x8000 REPLY, 0x4000 CLIENT_AUTH), big-endian
 *   offset 2  uint16 cipher suite (1 = X25519_AESGCM128)
 *   offset 4  dh_param (32 bytes)
 *   offset 36 AES-GCM ciphertext || 16-byte tag
 * </pre>
 *
 * All methods read at absolute indexes from {@code position()} and never move it.
 */
public final class Wire {
    public static final int HEADER_LENGTH = 4;
    public static final int DH_LENGTH = 32;
    public static final int TAG_LENGTH = 16;
    /** Header plus dh_param: where the ciphertext starts. */
    public static final int PREFIX_LENGTH = HEADER_LENGTH + DH_LENGTH;
    /** Bytes a datagram adds to its payload: 36 prefix + 16 tag. The shortest valid datagram. */
    public static final int OVERHEAD = PREFIX_LENGTH + TAG_LENGTH;
    /** The client proof at the start of an authenticated request's plaintext: C(32) || e(32). */
    public static final int CLIENT_PROOF_LENGTH = 64;

    public static final int FLAG_REPLY = 0x8000;
    public static final int FLAG_CLIENT_AUTH = 0x4000;
    public static final int SUITE_X25519_AESGCM128 = 1;

    /** The largest UDP payload over IPv4 or IPv6 without jumbograms. */
    public static final int MAX_DATAGRAM = 65_507;

    private Wire() {
    }

    /** Flags of the datagram at {@code d.position()}; the caller has checked its length. */
    public static int flags(ByteBuffer d) {
        return Short.toUnsignedInt(d.getShort(d.position()));
    }

    /** Suite of the datagram at {@code d.position()}; the caller has checked its length. */
    public static int suite(ByteBuffer d) {
        return Short.toUnsignedInt(d.getShort(d.position() + 2));
    }

    /**
     * Checks what a server can check without keys, in the protocol's order: length, REPLY
     * flag, suite.
     *
     * @return the request's flags
     */
    public static int checkRequestHeader(ByteBuffer d)
            throws MalformedPacketException, NotRequestException, UnsupportedSuiteException {
        checkLength(d, "request");
        int flags = flags(d);
        if ((flags & FLAG_REPLY) != 0) {
            throw new NotRequestException("the REPLY flag is set: this datagram is a reply, not a request");
        }
        checkSuite(d);
        return flags;
    }

    /**
     * Checks what a client can check of a reply without keys: length, REPLY flag.
     *
     * @return the reply's flags
     */
    public static int checkReplyHeader(ByteBuffer d) throws MalformedPacketException, NotReplyException {
        checkLength(d, "reply");
        int flags = flags(d);
        if ((flags & FLAG_REPLY) == 0) {
            throw new NotReplyException("the REPLY flag is clear: this datagram is a request, not a reply");
        }
        return flags;
    }

    private static void checkLength(ByteBuffer d, String kind) throws MalformedPacketException {
        if (d.remaining() < OVERHEAD) {
            throw new MalformedPacketException(kind + " of " + d.remaining()
                    + " bytes is shorter than the minimum of " + OVERHEAD + " (4 header + 32 dh_param + 16 tag)");
        }
    }

    private static void checkSuite(ByteBuffer d) throws UnsupportedSuiteException {
        int suite = suite(d);
        if (suite != SUITE_X25519_AESGCM128) {
            throw new UnsupportedSuiteException("cipher suite " + suite
                    + " is not supported (only 1, X25519_AESGCM128)");
        }
    }

    /** The 4 header bytes for {@code flags} and suite 1: the AEAD's additional data. */
    public static byte[] header(int flags) {
        return new byte[] {(byte) (flags >>> 8), (byte) flags, 0, (byte) SUITE_X25519_AESGCM128};
    }

    /** Writes a header at the buffer's position and advances it. */
    public static void putHeader(ByteBuffer out, int flags) {
        out.putShort((short) flags).putShort((short) SUITE_X25519_AESGCM128);
    }

    /** Size of the request datagram for a message, with or without client authentication. */
    public static int requestLength(int messageLength, boolean clientAuth) {
        return OVERHEAD + (clientAuth ? CLIENT_PROOF_LENGTH : 0) + messageLength;
    }

    /** Size of the reply datagram for a message. */
    public static int replyLength(int messageLength) {
        return OVERHEAD + messageLength;
    }
}
