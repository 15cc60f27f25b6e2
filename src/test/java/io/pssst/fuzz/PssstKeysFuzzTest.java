package io.pssst.fuzz;

import static io.pssst.fuzz.Buffers.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstKeys;
import io.pssst.internal.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PssstKeys} parsing on any input: raw, DER, hex, PEM and the "any form" parsers,
 * public and private, from {@code String}, {@code char[]} and {@code byte[]}. Input: one byte
 * choosing the form (its top bit: the text is the bytes read as UTF-8 rather than Latin-1),
 * then the bytes or text (the seeds are real keys in each form, OpenSSL's among them, and
 * near misses).
 *
 * <p>What must hold: only {@link InvalidKeyMaterialException} escapes; the {@code String} and
 * {@code char[]} forms agree, and the "any form" parsers agree with the PEM or hex parser the
 * text's form names; a key that parses survives every encoding and back; DER is accepted only
 * in its one canonical layout (44 bytes public, 48 or 83 private); hex only as 64 ASCII hex digits; no refusal message quotes
 * the input's bytes.
 */
class PssstKeysFuzzTest {
    private static final int FORMS = 10;

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void parse_anyInput_onlyInvalidKeyMaterialAndConsistentForms(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        int selector = in.u8();
        byte[] bytes = in.rest();
        String text = new String(bytes, (selector & 0x80) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        switch (selector % FORMS) {
            case 0 -> publicKey(bytes, () -> PssstKeys.publicKey(bytes));
            case 1 -> privateKey(bytes, () -> PssstKeys.privateKey(bytes));
            case 2 -> {
                XECPublicKey k = publicKey(bytes, () -> PssstKeys.publicKeyFromDer(bytes));
                // Canonical DER around the 32 bytes of u; u itself is read as RFC 7748 says (bit 255
                // masked, reduced mod p), which the JDK's DER decoding also accepts (docs/fuzzing.md).
                check(k == null || bytes.length == 44 && Arrays.equals(PssstKeys.toDer(k), 0, 12, bytes, 0, 12)
                        && samePublic(k, PssstKeys.publicKey(Arrays.copyOfRange(bytes, 12, 44))),
                        "a public DER of another form was accepted");
            }
            case 3 -> {
                XECPrivateKey k = privateKey(bytes, () -> PssstKeys.privateKeyFromDer(bytes));
                check(k == null || bytes.length == 48 && Arrays.equals(PssstKeys.toDer(k), bytes)
                        || bytes.length == 83, "a private DER of another form was accepted");
            }
            case 4 -> checkHex(text, publicKey(bytes, () -> PssstKeys.publicKeyFromHex(text)));
            case 5 -> checkHex(text, privateKey(bytes, () -> PssstKeys.privateKeyFromHex(text)));
            case 6 -> publicKey(bytes, () -> PssstKeys.publicKeyFromPem(text));
            case 7 -> privateKey(bytes, () -> PssstKeys.privateKeyFromPem(text));
            case 8 -> anyPublic(bytes, text);
            default -> anyPrivate(bytes, text);
        }
    }

    private static void anyPublic(byte[] bytes, String text) throws Exception {
        XECPublicKey fromString = publicKey(bytes, () -> PssstKeys.parsePublicKey(text));
        XECPublicKey fromChars = publicKey(bytes, () -> PssstKeys.parsePublicKey(text.toCharArray()));
        XECPublicKey named = publicKey(bytes, () -> text.strip().startsWith("-----") ? PssstKeys.publicKeyFromPem(text)
                : PssstKeys.publicKeyFromHex(text));
        check(samePublic(fromString, fromChars), "parsePublicKey(String) and (char[]) disagree");
        check(samePublic(fromString, named), "parsePublicKey disagrees with the parser of the text's form");
        if (fromString != null && !text.strip().startsWith("-----")) {
            checkHex(text, fromString);
        }
    }

    private static void anyPrivate(byte[] bytes, String text) throws Exception {
        XECPrivateKey fromString = privateKey(bytes, () -> PssstKeys.parsePrivateKey(text));
        char[] chars = text.toCharArray();
        XECPrivateKey fromChars = privateKey(bytes, () -> PssstKeys.parsePrivateKey(chars));
        check(Arrays.equals(chars, text.toCharArray()), "parsePrivateKey(char[]) changed the caller's array");
        XECPrivateKey named = privateKey(bytes, () -> text.strip().startsWith("-----")
                ? PssstKeys.privateKeyFromPem(text) : PssstKeys.privateKeyFromHex(text));
        check(samePrivate(fromString, fromChars), "parsePrivateKey(String) and (char[]) disagree");
        check(samePrivate(fromString, named), "parsePrivateKey disagrees with the parser of the text's form");
        if (fromString != null && !text.strip().startsWith("-----")) {
            checkHex(text, fromString);
        }
    }

    interface Parse<K> {
        K parse() throws InvalidKeyMaterialException;
    }

    /** The parsed key, or null when refused (after checking the refusal). */
    private static <K> K attempt(byte[] input, Parse<K> p) {
        try {
            return Objects.requireNonNull(p.parse(), "a parser returned null");
        } catch (InvalidKeyMaterialException e) {
            checkMessage(e, input);
            return null;
        }
    }

    /** Parses; null when refused. Round-trips a key that parses. */
    private static XECPublicKey publicKey(byte[] input, Parse<XECPublicKey> p) throws Exception {
        XECPublicKey k = attempt(input, p);
        if (k == null) {
            return null;
        }
        byte[] raw = PssstKeys.toRaw(k);
        check(raw.length == 32 && (raw[31] & 0x80) == 0, "a public key's raw form is not a masked 32-byte u");
        check(samePublic(k, PssstKeys.publicKey(raw)), "raw round trip");
        check(samePublic(k, PssstKeys.publicKeyFromDer(PssstKeys.toDer(k))), "DER round trip");
        check(samePublic(k, PssstKeys.publicKeyFromPem(PssstKeys.toPem(k))), "PEM round trip");
        check(samePublic(k, PssstKeys.publicKeyFromHex(PssstKeys.toHex(k))), "hex round trip");
        check(samePublic(k, PssstKeys.parsePublicKey(PssstKeys.toPem(k).toCharArray())), "parsePublicKey round trip");
        return k;
    }

    private static XECPrivateKey privateKey(byte[] input, Parse<XECPrivateKey> p) throws Exception {
        XECPrivateKey k = attempt(input, p);
        if (k == null) {
            return null;
        }
        byte[] raw = PssstKeys.toRaw(k);
        check(raw.length == 32, "a private scalar is not 32 bytes");
        check(samePrivate(k, PssstKeys.privateKey(raw)), "raw round trip");
        check(samePrivate(k, PssstKeys.privateKeyFromDer(PssstKeys.toDer(k))), "DER round trip");
        check(samePrivate(k, PssstKeys.privateKeyFromPem(PssstKeys.toPem(k))), "PEM round trip");
        check(samePrivate(k, PssstKeys.parsePrivateKey(new String(PssstKeys.toPemBytes(k), StandardCharsets.US_ASCII))),
                "parsePrivateKey round trip");
        check(samePrivate(k, PssstKeys.privateKeyFromHex(Bytes.hex(raw))), "hex round trip");
        PssstKeys.publicKeyOf(k);
        return k;
    }

    /** Hex that parses is 64 ASCII hex digits (white space around them), and stands for the key's bytes. */
    private static void checkHex(String text, Object key) throws Exception {
        if (key == null) {
            return;
        }
        String hex = text.strip();
        check(hex.matches("[0-9a-fA-F]{64}"), "text that is not 64 ASCII hex digits parsed as a hex key");
        byte[] raw = key instanceof XECPublicKey pub ? PssstKeys.toRaw(pub) : PssstKeys.toRaw((XECPrivateKey) key);
        byte[] given = Bytes.unhex(hex);
        if (key instanceof XECPublicKey) {
            given[31] &= 0x7f;
            check(Arrays.equals(raw, given) || new java.math.BigInteger(1, reverse(given)).compareTo(
                    java.math.BigInteger.ONE.shiftLeft(255).subtract(java.math.BigInteger.valueOf(19))) >= 0,
                    "a hex public key parsed to another u");
        } else {
            check(Arrays.equals(raw, given), "a hex private key parsed to another scalar");
        }
    }

    /** A refusal's message says what is wrong, never the input's bytes. */
    private static void checkMessage(InvalidKeyMaterialException e, byte[] input) {
        String t = new String(input, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (t.contains("-----")) {
            return; // PEM: a refusal may quote the block's label, by design (KeyText), whatever it holds
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        for (int i = 0; i + 8 <= Math.min(input.length, 512); i++) {
            check(!m.contains(Bytes.hex(Arrays.copyOfRange(input, i, i + 8))),
                    "a refusal's message quotes the input's bytes: " + e.getMessage());
        }
        for (int i = 0; i + 16 <= Math.min(t.length(), 512); i++) { // hex text: no run of 16 of its digits
            String run = t.substring(i, i + 16);
            check(!run.matches("[0-9a-f]{16}") || !m.contains(run),
                    "a refusal's message quotes the key text: " + e.getMessage());
        }
    }

    private static boolean samePublic(XECPublicKey a, XECPublicKey b) {
        return a == null ? b == null : b != null && a.getU().equals(b.getU());
    }

    private static boolean samePrivate(XECPrivateKey a, XECPrivateKey b) {
        return a == null ? b == null
                : b != null && Arrays.equals(a.getScalar().orElseThrow(), b.getScalar().orElseThrow());
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
