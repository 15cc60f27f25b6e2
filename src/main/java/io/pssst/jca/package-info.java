/**
 * The {@code PSSST} JCA provider: {@link io.pssst.jca.PssstProvider} and the public
 * parameter classes of {@code Cipher "PSSST"} and {@code KeyAgreement "PSSST"}. See
 * docs/jca.md.
 */
package io.pssst.jca;
