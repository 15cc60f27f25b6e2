package io.pssst.channel;

import java.net.SocketException;

/**
 * A message that would not fit in one UDP datagram once sealed (PSSST adds 52 bytes, 116
 * with client authentication; a datagram carries at most 65,507 bytes). Thrown before
 * anything is sealed or sent: the source buffer is untouched and the channel stays usable.
 *
 * <p>A {@link SocketException}, like the "Message too long" error the JDK's own channel
 * reports for an oversized datagram.
 */
public final class PssstMessageTooLongException extends SocketException {
    private static final long serialVersionUID = 1L;

    /** The refused message's length. */
    private final int length;
    /** The longest message the channel can send. */
    private final int maxLength;

    PssstMessageTooLongException(int length, int maxLength) {
        super("message of " + length + " bytes is too long for one PSSST datagram: at most " + maxLength
                + " bytes fit on this channel");
        this.length = length;
        this.maxLength = maxLength;
    }

    /** {@return the refused message's length} */
    public int length() {
        return length;
    }

    /** {@return the longest message this channel can send} */
    public int maxLength() {
        return maxLength;
    }
}
