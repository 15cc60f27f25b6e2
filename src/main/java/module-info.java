/**
 * PSSST (Packet Security for Stateless Server Transactions) for Java: the protocol engine,
 * a small native API ({@code io.pssst}), and the {@code PSSST} JCA provider
 * ({@code io.pssst.jca}). JDK only.
 *
 * <p>This descriptor is for Java 17 to 21, where X25519 lives in {@code jdk.crypto.ec}. The
 * jar also carries {@code META-INF/versions/22/module-info.class} for Java 22 and later,
 * where X25519 moved into {@code java.base}. See docs/module-info.md.
 */
module io.pssst {
    // Not needed to compile (X25519 is reached through JCA names), but it makes jlink and
    // the module system resolve the JDK provider of X25519 on Java 17-21.
    requires jdk.crypto.ec;

    exports io.pssst;
    exports io.pssst.channel;
}
