package io.pssst.cli;

import io.pssst.internal.Bytes;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Showing bytes to a person: as text when they are printable UTF-8, else as hex. */
final class Text {
    private Text() {
    }

    /** The bytes as text if they are valid UTF-8 without control characters (tab and newlines allowed), else null. */
    static String printable(byte[] b) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r') {
                return null;
            }
        }
        return chars.toString();
    }

    /** Text if printable (and not {@code forceHex}), else lower-case hex. */
    static String show(byte[] b, boolean forceHex) {
        String t = forceHex ? null : printable(b);
        return t != null ? t : Bytes.hex(b);
    }
}
