package io.pssst;

import io.pssst.internal.Bytes;
import io.pssst.internal.X25519;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The text forms of keys for {@link PssstKeys}: 64 hex digits and PEM, read from any
 * {@link CharSequence} (a {@code String}, or a {@code char[]} the caller wipes) and written as
 * US-ASCII bytes.
 *
 * <p>Reading makes no copy of the text as a {@code String} or array: it works on views
 * ({@link CharBuffer#wrap(CharSequence, int, int)}) and on index arithmetic; the only arrays
 * that hold key material are the base64 characters of a PEM body and what they decode to,
 * wiped before returning (the DER returned is the caller's to wipe). Error messages say what
 * is wrong with the text and never quote it, except a PEM label (at most
 * {@value #MAX_LABEL_SHOWN} characters, printable ASCII only).
 */
final class KeyText {
    static final String PUBLIC_LABEL = "PUBLIC KEY";
    static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final int MAX_LABEL_SHOWN = 32;
    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";

    private KeyText() {
    }

    /** {@code text} without leading and trailing white space ({@link Character#isWhitespace}), as a view. */
    static CharSequence strip(CharSequence text) {
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return CharBuffer.wrap(text, start, end);
    }

    /** Whether stripped text is PEM (starts with five dashes) rather than hex. */
    static boolean isPem(CharSequence stripped) {
        return startsWith(stripped, DASHES, 0);
    }

    /**
     * The 32 bytes that 64 hex digits (either case, white space around them ignored) stand for.
     *
     * @param which "public" or "private", for messages
     * @throws InvalidKeyMaterialException if the text is empty, or not 64 hex digits
     */
    static byte[] unhex(CharSequence text, String which) throws InvalidKeyMaterialException {
        CharSequence t = strip(text);
        if (t.length() == 0) {
            throw new InvalidKeyMaterialException("no X25519 " + which + " key: the text is empty");
        }
        if (t.length() != 2 * X25519.KEY_LENGTH) {
            throw new InvalidKeyMaterialException("a hex X25519 " + which + " key has 64 hex digits, not " + t.length());
        }
        try {
            return Bytes.unhex(t);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyMaterialException("the hex X25519 " + which + " key is not hex: " + e.getMessage());
        }
    }

    /**
     * The DER inside the first PEM block labelled {@code label}; text around it is ignored.
     * The array returned is new: the caller wipes it if it holds a private key.
     *
     * @throws InvalidKeyMaterialException if the text is empty, has no such block, the block
     *         has no END line, or its body is not base64
     */
    static byte[] unpem(CharSequence pem, String label) throws InvalidKeyMaterialException {
        String begin = BEGIN + label + DASHES;
        String end = "-----END " + label + DASHES;
        int b = indexOf(pem, begin, 0);
        if (b < 0) {
            throw new InvalidKeyMaterialException(noBlock(strip(pem), label));
        }
        int from = b + begin.length();
        int e = indexOf(pem, end, from);
        if (e < 0) {
            throw new InvalidKeyMaterialException("the PEM \"" + label + "\" block has no END line (" + end
                    + "): the text is cut short");
        }
        byte[] body = base64Characters(pem, from, e, label);
        byte[] decoded = new byte[(body.length + 3) / 4 * 3];
        try {
            int n = Base64.getDecoder().decode(body, decoded);
            return Arrays.copyOf(decoded, n);
        } catch (IllegalArgumentException ex) {
            throw notBase64(label);
        } finally {
            Arrays.fill(body, (byte) 0);
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /**
     * PEM of {@code der} under {@code label}, 64 base64 characters a line, as US-ASCII bytes: a
     * new array the caller wipes if it holds a private key. {@code der} is not retained.
     */
    static byte[] pem(String label, byte[] der) {
        byte[] head = (BEGIN + label + DASHES + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\n-----END " + label + DASHES + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(der);
        try {
            byte[] out = Arrays.copyOf(head, head.length + body.length + tail.length);
            System.arraycopy(body, 0, out, head.length, body.length);
            System.arraycopy(tail, 0, out, head.length + body.length, tail.length);
            return out;
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    /** What the text holds instead of a {@code label} block, in one message. */
    private static String noBlock(CharSequence t, String label) {
        String expected = "expected a PEM \"" + label + "\" block";
        if (t.length() == 0) {
            return expected + "; the text is empty";
        }
        if (!startsWith(t, BEGIN, 0)) {
            return expected + ", found no PEM block";
        }
        StringBuilder found = new StringBuilder();
        int i = BEGIN.length();
        while (i < t.length() && t.charAt(i) != '-' && t.charAt(i) != '\n' && t.charAt(i) != '\r') {
            char c = t.charAt(i++);
            if (c < 0x20 || c > 0x7e || found.length() == MAX_LABEL_SHOWN) {
                return expected + ", found another PEM block";
            }
            found.append(c);
        }
        if (found.toString().equals(label) && !startsWith(t, DASHES, i)) {
            return expected + ", found its BEGIN line cut short (" + BEGIN + label + DASHES + " expected)";
        }
        return expected + ", found a \"" + found + "\" block";
    }

    /**
     * The characters of {@code text[from, to)} other than white space, as ASCII bytes (a new
     * array the caller wipes).
     */
    private static byte[] base64Characters(CharSequence text, int from, int to, String label)
            throws InvalidKeyMaterialException {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!isPemSpace(text.charAt(i))) {
                n++;
            }
        }
        byte[] body = new byte[n];
        int j = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                Arrays.fill(body, (byte) 0);
                throw notBase64(label);
            }
            if (!isPemSpace(c)) {
                body[j++] = (byte) c;
            }
        }
        return body;
    }

    private static InvalidKeyMaterialException notBase64(String label) {
        return new InvalidKeyMaterialException("the PEM \"" + label + "\" block is not valid base64");
    }

    /** White space between base64 lines: what the regular expression {@code \s} matches. */
    private static boolean isPemSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static int indexOf(CharSequence text, String part, int from) {
        for (int i = from; i <= text.length() - part.length(); i++) {
            if (startsWith(text, part, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(CharSequence text, String part, int at) {
        if (at + part.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            if (text.charAt(at + i) != part.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
