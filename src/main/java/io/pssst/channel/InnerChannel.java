package io.pssst.channel;

import java.nio.channels.SelectableChannel;

/**
 * Implemented by PSSST channels whose I/O happens on an inner JDK channel. PSSST's selector
 * registers the inner channel with the platform selector and hands out keys whose
 * {@code channel()} is the outer (PSSST) channel. Readiness of the outer channel is the
 * readiness of the inner one: a datagram that turns out to be invalid is dropped and counted
 * by the outer channel, whose non-blocking {@code receive} then returns {@code null}.
 */
interface InnerChannel {
    /** The JDK channel that does the I/O; never null, the same object for the channel's life. */
    SelectableChannel inner();
}
