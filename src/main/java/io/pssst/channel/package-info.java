/**
 * PSSST as a NIO channel: {@link io.pssst.channel.PssstDatagramChannel}, a drop-in,
 * selector-compatible {@code DatagramChannel} whose sends are sealed and whose receives are
 * checked and decrypted, in two roles ({@link io.pssst.channel.PssstClientChannel},
 * {@link io.pssst.channel.PssstServerChannel}); the selector provider that lets it share a
 * selector with JDK channels ({@link io.pssst.channel.PssstSelectorProvider},
 * {@link io.pssst.channel.PssstSelector}); and the values they take and give: policies
 * ({@link io.pssst.channel.PssstClientPolicy}, {@link io.pssst.channel.PssstRetryPolicy}),
 * request ids, replies, statistics and exceptions. See docs/channel.md and docs/selector.md.
 */
package io.pssst.channel;
