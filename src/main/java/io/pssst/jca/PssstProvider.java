package io.pssst.jca;

import io.pssst.internal.jca.PssstServices;
import java.security.Provider;

/**
 * The {@code PSSST} JCA provider: PSSST (Packet Security for Stateless Server Transactions)
 * cipher suite 1, X25519_AESGCM128, as
 * <ul>
 *   <li>{@code Cipher "PSSST"} (alias {@code "X25519_AESGCM128"}): one whole request or
 *       reply datagram per {@code doFinal};</li>
 *   <li>{@code KeyAgreement "PSSST"}: the per-transaction {@code SecretKey "PSSST"};</li>
 *   <li>{@code AlgorithmParameters "PSSST"}: a {@link PssstTransactionSpec}.</li>
 * </ul>
 * It registers nothing else: the X25519, SHA-256 and AES-GCM it uses come from whichever
 * installed providers offer {@code "X25519"}, {@code "SHA-256"} and
 * {@code "AES/GCM/NoPadding"}, so it never calls itself wherever it sits in the provider list.
 *
 * <p>Install it with {@code Security.addProvider(new PssstProvider())}, with a
 * {@code security.provider.N=PSSST} line in a {@code java.security} override, or let
 * {@code ServiceLoader} find it (the module {@code provides java.security.Provider}, and the
 * jar has {@code META-INF/services/java.security.Provider}). See docs/jca.md for the
 * complete transaction. Thread-safe, like every {@code Provider}.
 */
public final class PssstProvider extends Provider {
    private static final long serialVersionUID = 1L;

    /** The provider's name. */
    public static final String NAME = "PSSST";

    private static final String VERSION = "0.1.0";

    /** The provider with its three services. */
    public PssstProvider() {
        super(NAME, VERSION, "PSSST (Packet Security for Stateless Server Transactions) suite 1 "
                + "X25519_AESGCM128: Cipher, KeyAgreement and AlgorithmParameters \"PSSST\"");
        for (Provider.Service service : PssstServices.of(this)) {
            putService(service);
        }
    }
}
