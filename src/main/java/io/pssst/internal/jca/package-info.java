/**
 * The SPI classes behind {@code io.pssst.jca.PssstProvider}, not exported: {@code Cipher},
 * {@code KeyAgreement} and {@code AlgorithmParameters} SPIs, the provider's transaction keys,
 * and the {@code Provider.Service} objects that create the SPIs ({@link
 * io.pssst.internal.jca.PssstServices}, the one public class).
 */
package io.pssst.internal.jca;
