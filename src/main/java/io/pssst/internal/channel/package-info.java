/**
 * The machinery behind {@code io.pssst.channel}, not exported: raw I/O on the inner JDK
 * channel, the receive path (read, classify, open, deliver), the client's request table,
 * retransmission timers and call pump, the server's reply contexts, the selector's keys and
 * platform lookup, the socket adaptor, the counters, the log and the MXBean. See
 * docs/architecture.md.
 */
package io.pssst.internal.channel;
