package io.pssst.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstKeys;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.XECPrivateKey;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The provider as registered: its services and attributes, installed with
 * {@code Security.addProvider} (and removed again), first in the list (it must not call
 * itself), passed as an object, and found by {@code ServiceLoader} on the class path.
 */
class PssstProviderTest {
    private static final KeyPair SERVER = PssstKeys.generateKeyPair();
    private static final KeyPair CLIENT = PssstKeys.generateKeyPair();
    private static final byte[] MESSAGE = "ping".getBytes(StandardCharsets.UTF_8);

    @Test
    void provider_declaresItsServicesAndKeyClasses() {
        Provider p = new PssstProvider();
        assertEquals("PSSST", p.getName());
        assertEquals("0.1.0", p.getVersionStr());
        for (String type : new String[] {"Cipher", "KeyAgreement", "AlgorithmParameters"}) {
            Provider.Service s = p.getService(type, "PSSST");
            assertNotNull(s, type);
            assertEquals(p, s.getProvider());
        }
        assertTrue(p.getService("Cipher", "PSSST").getAttribute("SupportedKeyClasses")
                .contains("java.security.interfaces.XECPublicKey"));
        assertNotNull(p.getService("Cipher", "X25519_AESGCM128"), "suite-name alias");
        assertNull(p.getService("KeyAgreement", "X25519"), "PSSST registers only its own names");
        assertNull(p.getService("Cipher", "AES/GCM/NoPadding"));
    }

    /**
     * What the provider tells the JCA names only types users can reach: JDK types, and types
     * of the packages the module exports (never a class of a non-exported package).
     */
    @Test
    void supportedKeyClasses_onlyJdkAndExportedTypes() throws Exception {
        Set<String> exported = exportedPackages();
        int named = 0;
        for (Provider.Service s : new PssstProvider().getServices()) {
            String classes = s.getAttribute("SupportedKeyClasses");
            for (String name : classes == null ? new String[0] : classes.split("\\|")) {
                Class<?> c = Class.forName(name);
                assertTrue(java.lang.reflect.Modifier.isPublic(c.getModifiers()), name);
                assertTrue(c.getPackageName().startsWith("java.") || exported.contains(c.getPackageName()),
                        s.getType() + " names " + name + ", which is not in an exported package " + exported);
                named++;
            }
        }
        assertEquals(5, named, "XECPublicKey and XECPrivateKey twice, PssstTransactionKey once");
    }

    /** The exports of the module descriptor beside the provider's class (target/classes, or the jar). */
    private static Set<String> exportedPackages() throws Exception {
        java.net.URI where = PssstProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        java.net.URL descriptor = where.getPath().endsWith(".jar")
                ? new java.net.URL("jar:" + where + "!/module-info.class") : where.resolve("module-info.class").toURL();
        try (InputStream in = descriptor.openStream()) {
            return ModuleDescriptor.read(in).exports().stream().map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void providerObject_runsTheTransactionWithoutBeingInstalled() throws Exception {
        assertNull(Security.getProvider("PSSST"));
        fullTransaction(new PssstProvider());
    }

    @Test
    void addProvider_thenGetInstanceByName_runsTheTransaction() throws Exception {
        int position = Security.addProvider(new PssstProvider());
        try {
            assertTrue(position > 0);
            Cipher c = Cipher.getInstance("PSSST");
            c.init(Cipher.ENCRYPT_MODE, SERVER.getPublic());
            assertEquals("PSSST", c.getProvider().getName());
            fullTransaction(null);
            Cipher other = Cipher.getInstance("PSSST");
            assertThrows(InvalidKeyException.class, () -> other.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES")),
                    "an AES key is not routed to PSSST");
        } finally {
            Security.removeProvider("PSSST");
        }
        assertNull(Security.getProvider("PSSST"));
    }

    @Test
    void installedFirst_neverCallsItself() throws Exception {
        assertEquals(1, Security.insertProviderAt(new PssstProvider(), 1));
        try {
            assertNotEquals("PSSST", KeyAgreement.getInstance("X25519").getProvider().getName());
            assertNotEquals("PSSST", Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName());
            assertNotEquals("PSSST", MessageDigest.getInstance("SHA-256").getProvider().getName());
            fullTransaction(null);
        } finally {
            Security.removeProvider("PSSST");
        }
    }

    @Test
    void serviceLoader_findsTheProviderOnTheClassPath() {
        assertTrue(StreamSupport.stream(ServiceLoader.load(Provider.class).spliterator(), false)
                .anyMatch(p -> p instanceof PssstProvider),
                () -> "ServiceLoader found " + StreamSupport.stream(ServiceLoader.load(Provider.class).spliterator(), false)
                        .map(Provider::getName).collect(Collectors.joining(", ")));
    }

    /** Anonymous and authenticated, from {@code provider} or (null) from the installed providers. */
    private static void fullTransaction(Provider provider) throws Exception {
        for (PssstParameterSpec spec : new PssstParameterSpec[] {PssstParameterSpec.anonymous(),
                PssstParameterSpec.authenticated((XECPrivateKey) CLIENT.getPrivate())}) {
            Cipher client = cipher(provider);
            client.init(Cipher.ENCRYPT_MODE, SERVER.getPublic(), spec);
            byte[] request = client.doFinal(MESSAGE);
            Cipher server = cipher(provider);
            server.init(Cipher.DECRYPT_MODE, SERVER.getPrivate());
            assertArrayEquals(MESSAGE, server.doFinal(request));
            PssstTransactionSpec serverTx = server.getParameters().getParameterSpec(PssstTransactionSpec.class);
            assertEquals(spec.isAuthenticated(), serverTx.clientKey().isPresent());
            Cipher sealer = cipher(provider);
            sealer.init(Cipher.ENCRYPT_MODE, serverTx.transactionKey());
            byte[] reply = sealer.doFinal(MESSAGE);
            Cipher opener = cipher(provider);
            opener.init(Cipher.DECRYPT_MODE,
                    client.getParameters().getParameterSpec(PssstTransactionSpec.class).transactionKey());
            assertArrayEquals(MESSAGE, opener.doFinal(reply));
        }
    }

    private static Cipher cipher(Provider provider) throws Exception {
        return provider == null ? Cipher.getInstance("PSSST") : Cipher.getInstance("PSSST", provider);
    }
}
