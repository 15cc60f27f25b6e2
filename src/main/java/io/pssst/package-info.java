/**
 * The native API of PSSST (Packet Security for Stateless Server Transactions): a client
 * seals a request in one datagram and opens the one reply; a server opens the request and
 * seals its reply, keeping nothing between transactions.
 *
 * <ul>
 *   <li>{@link io.pssst.PssstClient} and {@link io.pssst.PssstServer}: the two roles, made
 *       from X25519 keys; {@link io.pssst.PackedRequest}, {@link io.pssst.ReplyOpener},
 *       {@link io.pssst.ReceivedRequest} and {@link io.pssst.ReplySealer}: one transaction,
 *       each step once.</li>
 *   <li>{@link io.pssst.PssstKeys}: X25519 keys from and to raw bytes, hex, DER and PEM.</li>
 *   <li>{@link io.pssst.PssstException}: every refusal of a datagram or key, one subclass
 *       per reason the protocol names.</li>
 * </ul>
 *
 * Every {@code ByteBuffer} method reads its input's remaining bytes and writes at its
 * output's position, advancing both on success and neither on failure; no method keeps a
 * caller's buffer. Secrets never appear in {@code toString} or exception messages.
 */
package io.pssst;
