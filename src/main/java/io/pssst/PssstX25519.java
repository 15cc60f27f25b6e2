package io.pssst;

import java.util.Locale;

/**
 * Which X25519 implementation PSSST uses for its scalar multiplications. One switch for every
 * surface: the native API's factories, the JCA provider ({@code PssstProvider.configure}),
 * the channels' builders and the {@code pssst} command ({@code --x25519}) each take one, and
 * fall back to {@link #configured()}.
 *
 * <p>{@link #JDK} is the default: the JDK's own {@code KeyAgreement "X25519"} (or whichever
 * provider the user installed for it). {@link #BUILTIN} is PSSST's own constant-time
 * X25519, several times faster, with precomputed tables for the points that do not change
 * (the base point, a server's key held by a client, an authenticated client's keys): it is
 * an opt-in, tested against RFC 7748, Wycheproof and the JDK's X25519; docs/x25519.md gives
 * its design, its constant-time argument and its figures.
 */
public enum PssstX25519 {
    /** The JDK's {@code KeyAgreement "X25519"} through the JCA: the default. */
    JDK,
    /** PSSST's built-in constant-time X25519 with fixed-base tables. */
    BUILTIN;

    /** The system property that sets the default: {@code jdk} or {@code builtin}, read once. */
    public static final String PROPERTY = "io.pssst.x25519";

    private static final class Configured {
        static final String VALUE = System.getProperty(PROPERTY);
        static final PssstX25519 CHOICE = parseOrNull(VALUE == null ? "jdk" : VALUE);
    }

    /**
     * The default: {@link #JDK}, unless the system property {@value #PROPERTY} (read once, on
     * first use) says {@code builtin}.
     *
     * @return the default implementation
     * @throws IllegalStateException if the property holds anything else (named in the message)
     */
    public static PssstX25519 configured() {
        PssstX25519 c = Configured.CHOICE;
        if (c == null) {
            throw new IllegalStateException("the system property " + PROPERTY + " must be jdk or builtin, not \""
                    + Configured.VALUE + "\"");
        }
        return c;
    }

    /**
     * The implementation named {@code name}: {@code jdk} or {@code builtin}, in any case.
     *
     * @param name the name
     * @return the implementation
     * @throws IllegalArgumentException for any other name
     */
    public static PssstX25519 parse(String name) {
        PssstX25519 c = parseOrNull(name);
        if (c == null) {
            throw new IllegalArgumentException("an X25519 implementation is jdk or builtin, not \"" + name + "\"");
        }
        return c;
    }

    private static PssstX25519 parseOrNull(String name) {
        switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "jdk":
                return JDK;
            case "builtin":
                return BUILTIN;
            default:
                return null;
        }
    }

    /**
     * {@code "jdk"} or {@code "builtin"}: the name {@link #parse} and the property take.
     *
     * @return the name
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
