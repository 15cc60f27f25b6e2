/**
 * A built-in X25519 (RFC 7748), pure Java and constant time, not exported: the opt-in
 * alternative to the JDK's {@code KeyAgreement "X25519"}. {@link io.pssst.internal.x25519.X25519Builtin}
 * (the Montgomery ladder for any u, and public keys from the base point's table) and
 * {@link io.pssst.internal.x25519.FixedBase} (a precomputed table for a u that does not
 * change) are the entry points; the rest is field arithmetic mod 2^255 - 19, edwards25519
 * formulas and table building. It depends on nothing but {@code java.base}: no other package
 * of the project. Design, constant-time argument and measurements: docs/x25519.md.
 */
package io.pssst.internal.x25519;
