/**
 * A tiny application that uses the PSSST provider the way a user would: through the JCA
 * ({@code Cipher}), the JDK's own X25519 keys and the provider's public parameter specs.
 * It runs on the module path (as this module), on the class path (module-info ignored) and
 * inside a jlink image of {@code io.pssst}.
 */
module io.pssst.blackbox {
    requires io.pssst;

    // For the ServiceLoader way of finding the provider.
    uses java.security.Provider;
}
