package io.pssst.jca;

import io.pssst.internal.jca.PssstServices;
import io.pssst.PssstX25519;
import java.security.InvalidParameterException;
import java.security.Provider;
import java.util.Objects;

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
 *
 * <p><b>X25519.</b> The provider uses the JDK's X25519 unless told otherwise
 * ({@link PssstX25519}): by the system property {@value PssstX25519#PROPERTY}, by
 * {@link #PssstProvider(PssstX25519)}, or the JCA way, by {@link #configure(String)} with
 * {@code x25519=builtin} — which is what a {@code java.security} line
 * {@code security.provider.13=PSSST x25519=builtin} does, as the JDK's SunPKCS11 takes its
 * argument.
 */
public final class PssstProvider extends Provider {
    private static final long serialVersionUID = 1L;

    /** The provider's name. */
    public static final String NAME = "PSSST";

    private static final String VERSION = "0.1.0";
    private static final String INFO = "PSSST (Packet Security for Stateless Server Transactions) suite 1 "
            + "X25519_AESGCM128: Cipher, KeyAgreement and AlgorithmParameters \"PSSST\"";

    /** Null: the system property's choice, read when a Cipher or KeyAgreement is initialised. */
    private final transient PssstX25519 x25519;

    /**
     * The provider with its three services, using the X25519 the system property
     * {@value PssstX25519#PROPERTY} names (the JDK's by default).
     */
    public PssstProvider() {
        this(null, INFO);
    }

    /**
     * The provider with its three services, using the {@code x25519} implementation.
     *
     * @param x25519 the X25519 implementation every {@code Cipher} and {@code KeyAgreement} of
     *        this provider uses
     * @throws NullPointerException if {@code x25519} is null
     */
    public PssstProvider(PssstX25519 x25519) {
        this(Objects.requireNonNull(x25519, "x25519"), INFO + "; X25519: " + x25519.label());
    }

    private PssstProvider(PssstX25519 x25519, String info) {
        super(NAME, VERSION, info);
        this.x25519 = x25519;
        for (Provider.Service service : PssstServices.of(this, x25519)) {
            putService(service);
        }
    }

    /**
     * A provider configured by {@code configArg}: {@code x25519=jdk} or {@code x25519=builtin}
     * (spaces around the {@code =} allowed). This provider is not changed; a new one is
     * returned, as {@link Provider#configure} allows. The JDK calls this for a
     * {@code java.security} line {@code security.provider.N=PSSST x25519=builtin}.
     *
     * @param configArg the argument
     * @return a new provider using that X25519
     * @throws InvalidParameterException if the argument is anything else
     */
    @Override
    public Provider configure(String configArg) {
        String arg = configArg == null ? "" : configArg.strip();
        int eq = arg.indexOf('=');
        if (eq < 0 || !arg.substring(0, eq).strip().equals("x25519")) {
            throw new InvalidParameterException("the PSSST provider takes x25519=jdk or x25519=builtin, not \""
                    + configArg + "\"");
        }
        try {
            return new PssstProvider(PssstX25519.parse(arg.substring(eq + 1)));
        } catch (IllegalArgumentException e) {
            InvalidParameterException ipe = new InvalidParameterException("the PSSST provider takes x25519=jdk or "
                    + "x25519=builtin, not \"" + configArg + "\"");
            ipe.initCause(e);
            throw ipe;
        }
    }

    /** Always true: the provider works as it is, with or without {@link #configure}. */
    @Override
    public boolean isConfigured() {
        return true;
    }

    /**
     * The X25519 implementation this provider uses: the one it was made or configured with,
     * else the system property's.
     *
     * @return the implementation
     * @throws IllegalStateException if it comes from an invalid system property
     */
    public PssstX25519 x25519() {
        return x25519 != null ? x25519 : PssstX25519.configured();
    }
}
