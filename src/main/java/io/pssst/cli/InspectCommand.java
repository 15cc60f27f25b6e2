package io.pssst.cli;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.internal.Bytes;
import io.pssst.internal.Wire;
import io.pssst.internal.X25519;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * {@code pssst inspect}: decodes a datagram's header without keys and says what is wrong
 * with it, using the engine's own header checks ({@link Wire}).
 */
final class InspectCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec().flags("--raw").positional(0, 1);
    private static final int MAX_INPUT = 4 * Wire.MAX_DATAGRAM;

    InspectCommand() {
        super("inspect", "decode a datagram's header without keys, and say what is wrong with it", SPEC, """
                Usage: pssst inspect [HEX | -] [--raw]

                Decodes a PSSST datagram without any key: length, direction (request or
                reply), client-auth flag, cipher suite, dh_param (the request id), the
                length of the encrypted message and the protocol's overhead. Says what is
                wrong with a malformed datagram (too short, wrong suite, a client-auth
                request too short for its proof, reserved bits, a low-order dh_param that
                every server refuses). The tag and the client proof need the keys: a
                datagram this command calls well-formed can still be refused.

                The datagram is HEX (white space and ':' allowed), or read from standard
                input (with - or no argument) as hex, or as binary with --raw.
                Exit status: 0 well-formed, 1 malformed or unreadable input.

                Options:
                  --raw           standard input is the binary datagram, not hex
                """);
    }

    @Override
    int run(Args args, Io io) throws Exception {
        String arg = args.positional(0, "-");
        byte[] datagram = arg.equals("-") ? readStdin(io, args.flag("--raw")) : unhex(arg);
        return describe(ByteBuffer.wrap(datagram), io.out()) ? Main.OK : Main.FAILURE;
    }

    private static byte[] readStdin(Io io, boolean raw) throws IOException, CommandFailedException {
        byte[] bytes = io.in().readNBytes(MAX_INPUT + 1);
        if (bytes.length > MAX_INPUT) {
            throw new CommandFailedException("input is larger than any datagram");
        }
        return raw ? bytes : unhex(new String(bytes, StandardCharsets.US_ASCII));
    }

    private static byte[] unhex(String text) throws CommandFailedException {
        String hex = text.replaceAll("[\\s:]", "");
        try {
            return Bytes.unhex(hex);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException("the input is not hex: " + e.getMessage()
                    + (hex.isEmpty() ? "" : " (use --raw for a binary datagram on standard input)"));
        }
    }

    /** Prints the description; returns whether the datagram is well-formed. */
    static boolean describe(ByteBuffer d, PrintStream out) {
        int length = d.remaining();
        line(out, "length", length + " bytes");
        if (length < Wire.HEADER_LENGTH) {
            return verdict(out, "malformed: " + length + " bytes cannot even hold the 4-byte header");
        }
        int flags = Wire.flags(d);
        boolean reply = (flags & Wire.FLAG_REPLY) != 0;
        boolean auth = (flags & Wire.FLAG_CLIENT_AUTH) != 0;
        line(out, "direction", reply ? "reply (REPLY flag set)" : "request (REPLY flag clear)");
        line(out, "client auth", auth ? "yes (CLIENT_AUTH flag set)" : "no");
        int suite = Wire.suite(d);
        line(out, "suite", suite + (suite == Wire.SUITE_X25519_AESGCM128 ? " (X25519_AESGCM128)" : " (unknown)"));
        int reserved = flags & ~(Wire.FLAG_REPLY | Wire.FLAG_CLIENT_AUTH);
        if (length >= Wire.PREFIX_LENGTH) {
            line(out, "dh_param", Bytes.hex(Bytes.copyAt(d, d.position() + Wire.HEADER_LENGTH, Wire.DH_LENGTH))
                    + (reply ? " (the id of the request it answers)" : " (the request id)"));
        }
        try {
            if (reply) {
                Wire.checkReplyHeader(d);
            } else {
                Wire.checkRequestHeader(d);
            }
        } catch (PssstException e) {
            return verdict(out, e.reason().wireName() + ": " + e.getMessage());
        }
        if (suite != Wire.SUITE_X25519_AESGCM128) {
            return verdict(out, "unsupported-suite: cipher suite " + suite + " is not supported (only 1, X25519_AESGCM128)");
        }
        int proof = !reply && auth ? Wire.CLIENT_PROOF_LENGTH : 0;
        int message = length - Wire.OVERHEAD - proof;
        if (message < 0) {
            return verdict(out, "malformed: a client-auth request of " + length + " bytes is too short for the "
                    + Wire.CLIENT_PROOF_LENGTH + "-byte client proof (minimum " + Wire.requestLength(0, true) + ")");
        }
        line(out, "ciphertext", (length - Wire.PREFIX_LENGTH) + " bytes = "
                + (proof > 0 ? proof + " client proof + " : "") + message + " message + " + Wire.TAG_LENGTH + " tag");
        line(out, "message", message + " bytes (encrypted)");
        line(out, "overhead", (length - message) + " bytes = " + Wire.HEADER_LENGTH + " header + " + Wire.DH_LENGTH
                + " dh_param + " + (proof > 0 ? proof + " client proof + " : "") + Wire.TAG_LENGTH + " tag");
        if (lowOrder(d)) {
            return verdict(out, "invalid-key: the dh_param is a low-order X25519 point; every server refuses it");
        }
        String note = reserved != 0
                ? String.format("; reserved flag bits 0x%04x are set (senders must send 0)", reserved) : "";
        return verdict(out, "well-formed" + note + " (the tag" + (proof > 0 ? " and the client proof" : "")
                + " can only be checked with the keys)");
    }

    /** Whether X25519(r, dh_param) is all zero for a fresh scalar r: true exactly for low-order points. */
    private static boolean lowOrder(ByteBuffer d) {
        byte[] dh = Bytes.copyAt(d, d.position() + Wire.HEADER_LENGTH, Wire.DH_LENGTH);
        byte[] r = new byte[X25519.KEY_LENGTH];
        new SecureRandom().nextBytes(r);
        try {
            PrivateKey k = X25519.privateKey(r);
            Arrays.fill(X25519.agree(k, X25519.publicKey(dh)), (byte) 0);
            return false;
        } catch (InvalidKeyMaterialException e) {
            return true;
        } finally {
            Arrays.fill(r, (byte) 0);
        }
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-12s %s%n", label, value);
    }

    private static boolean verdict(PrintStream out, String text) {
        line(out, "verdict", text);
        return text.startsWith("well-formed");
    }
}
