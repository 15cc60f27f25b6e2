/**
 * PSSST for Java, descriptor for Java 22 and later: X25519 is in {@code java.base}, so
 * {@code jdk.crypto.ec} (now empty and deprecated for removal) is not required. Otherwise
 * identical to the base descriptor, as multi-release jars require.
 */
module io.pssst {
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
