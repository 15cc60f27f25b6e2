/**
 * {@code PssstDatagramChannel}: a drop-in, selector-compatible {@code DatagramChannel} that
 * speaks PSSST, and the selector provider that lets it share a selector with JDK channels.
 * See docs/channel.md.
 */
package io.pssst.channel;
