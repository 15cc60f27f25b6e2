package io.pssst.channel;

import java.io.IOException;

/**
 * A server channel was asked to send a reply for which it holds no reply context: nothing
 * was received from that sender, every request from it was already answered, or the context
 * was dropped because it grew older than the channel's reply-context timeout or because more
 * requests than the bound were waiting (see {@link PssstChannelStats}). Nothing was sent and
 * the source buffer is untouched; the channel stays usable.
 *
 * <p>An {@link IOException}, so an event loop's usual handler for failed sends covers it.
 */
public final class PssstNoPendingRequestException extends IOException {
    private static final long serialVersionUID = 1L;

    PssstNoPendingRequestException(String message) {
        super(message);
    }
}
