/**
 * The {@code PSSST} JCA provider: {@link io.pssst.jca.PssstProvider} ({@code Cipher},
 * {@code KeyAgreement} and {@code AlgorithmParameters "PSSST"}), the parameters of a client
 * ({@link io.pssst.jca.PssstParameterSpec}) and of a transaction
 * ({@link io.pssst.jca.PssstTransactionSpec}), and the transaction's key
 * ({@link io.pssst.jca.PssstTransactionKey}). See docs/jca.md.
 */
package io.pssst.jca;
