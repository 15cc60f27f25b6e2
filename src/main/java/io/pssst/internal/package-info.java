/**
 * The PSSST engine, not exported: the wire codec ({@link io.pssst.internal.Wire}), X25519
 * glue, key derivation and AES-GCM ({@code TransactionKeys}), and the client and server
 * transaction state machines that every surface (native API, JCA SPIs, channel, CLI) calls.
 */
package io.pssst.internal;
