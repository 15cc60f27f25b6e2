/**
 * PSSST (Packet Security for Stateless Server Transactions) for Java: one encrypted UDP
 * request, one encrypted reply, no handshake and no server state between transactions. JDK
 * only: the module needs no other module than the JDK's ({@code java.management} for the
 * channels' MXBeans, and on Java 17 to 21 {@code jdk.crypto.ec} for X25519).
 *
 * <p>It exports three packages, one per way to use it:
 * <ul>
 *   <li>{@link io.pssst}: the native API: {@code PssstClient}, {@code PssstServer},
 *       {@code PssstKeys}, and the {@code PssstException} family;</li>
 *   <li>{@link io.pssst.jca}: the {@code PSSST} JCA provider, {@code PssstProvider}, and its
 *       parameter and key types ({@code Cipher}, {@code KeyAgreement "PSSST"});</li>
 *   <li>{@link io.pssst.channel}: {@code PssstDatagramChannel}, a drop-in NIO
 *       {@code DatagramChannel} that speaks PSSST, and the selector provider that lets it
 *       share a selector with JDK channels.</li>
 * </ul>
 * It provides {@code java.security.Provider} (the {@code PSSST} provider, so
 * {@code ServiceLoader} and {@code security.provider.N=PSSST} find it). The protocol engine,
 * the provider's SPIs, the channel's machinery and the {@code pssst} command (the module's
 * main class) are in packages it does not export.
 *
 * <p>This descriptor is for Java 17 to 21, where X25519 lives in {@code jdk.crypto.ec}. The
 * jar also carries {@code META-INF/versions/22/module-info.class} for Java 22 and later,
 * where X25519 moved into {@code java.base}. See docs/module-info.md.
 */
module io.pssst {
    // Not needed to compile (X25519 is reached through JCA names), but it makes jlink and
    // the module system resolve the JDK provider of X25519 on Java 17-21.
    requires jdk.crypto.ec;
    // sun.misc.Signal: `pssst serve` reloads its key files on SIGHUP (a standard JDK module).
    requires jdk.unsupported;

    // The channels' statistics as MXBeans (javax.management, java.lang.management);
    // transitive: the channel's registerMXBean returns a javax.management.ObjectName.
    requires transitive java.management;

    exports io.pssst;
    exports io.pssst.jca;
    exports io.pssst.channel;

    provides java.security.Provider with io.pssst.jca.PssstProvider;
}
