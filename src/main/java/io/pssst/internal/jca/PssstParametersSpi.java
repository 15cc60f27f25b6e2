package io.pssst.internal.jca;

import io.pssst.jca.PssstTransactionSpec;
import java.io.IOException;
import java.security.AlgorithmParametersSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;

/**
 * {@code AlgorithmParameters "PSSST"}: holds one {@link PssstTransactionSpec}, what
 * {@code Cipher.getParameters()} returns after a request was sealed or opened.
 *
 * <p>There is no encoding, in either direction: {@code getEncoded()} and
 * {@code init(byte[])} throw {@link IOException}. The parameters are a live single-use
 * transaction, not a value: an encoding could not carry the transaction key without
 * exporting the secret AES key and nonces (which would invite nonce reuse), and one without
 * it could not be turned back into usable parameters.
 */
final class PssstParametersSpi extends AlgorithmParametersSpi {
    private static final String NO_ENCODING = "AlgorithmParameters PSSST have no encoding: they hold a live, "
            + "single-use PSSST transaction whose secrets never leave the provider";

    private PssstTransactionSpec spec;

    /** For the provider's service. */
    PssstParametersSpi() {
    }

    @Override
    protected void engineInit(AlgorithmParameterSpec paramSpec) throws InvalidParameterSpecException {
        if (!(paramSpec instanceof PssstTransactionSpec)) {
            throw new InvalidParameterSpecException("AlgorithmParameters PSSST take a PssstTransactionSpec, not "
                    + (paramSpec == null ? "null" : paramSpec.getClass().getName()));
        }
        spec = (PssstTransactionSpec) paramSpec;
    }

    @Override
    protected void engineInit(byte[] params) throws IOException {
        throw new IOException(NO_ENCODING);
    }

    @Override
    protected void engineInit(byte[] params, String format) throws IOException {
        throw new IOException(NO_ENCODING);
    }

    @Override
    protected <T extends AlgorithmParameterSpec> T engineGetParameterSpec(Class<T> paramSpec)
            throws InvalidParameterSpecException {
        if (paramSpec == null || !paramSpec.isAssignableFrom(PssstTransactionSpec.class)) {
            throw new InvalidParameterSpecException("AlgorithmParameters PSSST give a PssstTransactionSpec, not "
                    + (paramSpec == null ? "null" : paramSpec.getName()));
        }
        return paramSpec.cast(spec);
    }

    @Override
    protected byte[] engineGetEncoded() throws IOException {
        throw new IOException(NO_ENCODING);
    }

    @Override
    protected byte[] engineGetEncoded(String format) throws IOException {
        throw new IOException(NO_ENCODING);
    }

    @Override
    protected String engineToString() {
        return spec == null ? "PSSST parameters (none)" : "PSSST parameters: " + spec;
    }
}
