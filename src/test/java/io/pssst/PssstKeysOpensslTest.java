package io.pssst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.internal.X25519;
import io.pssst.testing.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PssstKeys} against the {@code openssl} command, both directions: keys OpenSSL makes
 * ({@code genpkey -algorithm X25519}, {@code pkey -pubout}) are read and written back byte
 * for byte; keys written here are read by OpenSSL, which derives the same public key and the
 * same X25519 shared secret. Skipped, with a message, when {@code openssl} is not on the PATH.
 */
class PssstKeysOpensslTest {
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path dir;

    @BeforeAll
    static void opensslPresent() {
        String version;
        try {
            version = run(null, "openssl", "version");
        } catch (IOException | AssertionError e) {
            version = null;
        }
        Assumptions.assumeTrue(version != null, "openssl is not on the PATH: skipping the OpenSSL interop tests");
    }

    @Test
    void opensslKeys_readAndWrittenBackByteForByte() throws Exception {
        Path priv = dir.resolve("openssl.pem");
        Path pub = dir.resolve("openssl.pub.pem");
        run(dir, "openssl", "genpkey", "-algorithm", "X25519", "-out", priv.toString());
        run(dir, "openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString());
        String privPem = Files.readString(priv, StandardCharsets.US_ASCII);
        String pubPem = Files.readString(pub, StandardCharsets.US_ASCII);

        XECPrivateKey k = PssstKeys.privateKeyFromPem(privPem);
        XECPublicKey u = PssstKeys.publicKeyFromPem(pubPem);
        assertArrayEquals(PssstKeys.toRaw(u), PssstKeys.toRaw(PssstKeys.publicKeyOf(k)), "public key of the private key");
        assertEquals(privPem, PssstKeys.toPem(k), "private PEM written as OpenSSL writes it");
        assertEquals(pubPem, PssstKeys.toPem(u), "public PEM written as OpenSSL writes it");
        assertEquals(PssstKeys.toRaw(u).length, 32);
        assertArrayEquals(PssstKeys.toRaw(k), PssstKeys.toRaw(PssstKeys.parsePrivateKey(privPem)));

        Path privDer = dir.resolve("openssl.der");
        Path pubDer = dir.resolve("openssl.pub.der");
        run(dir, "openssl", "pkey", "-in", priv.toString(), "-outform", "DER", "-out", privDer.toString());
        run(dir, "openssl", "pkey", "-in", priv.toString(), "-pubout", "-outform", "DER", "-out", pubDer.toString());
        assertArrayEquals(Files.readAllBytes(privDer), PssstKeys.toDer(k));
        assertArrayEquals(Files.readAllBytes(pubDer), PssstKeys.toDer(u));
        assertArrayEquals(PssstKeys.toRaw(k), PssstKeys.toRaw(PssstKeys.privateKeyFromDer(Files.readAllBytes(privDer))));
        assertArrayEquals(PssstKeys.toRaw(u), PssstKeys.toRaw(PssstKeys.publicKeyFromDer(Files.readAllBytes(pubDer))));
    }

    @Test
    void javaKeys_readByOpenssl_sameSharedSecretBothWays() throws Exception {
        TestKeys.Pair mine = TestKeys.pair(81);
        Path javaPriv = write("java.pem", PssstKeys.toPem(mine.privateKey()));
        Path javaPub = write("java.pub.pem", PssstKeys.toPem(mine.publicKey()));
        // OpenSSL derives the same public key from the private key written here.
        assertEquals(PssstKeys.toPem(mine.publicKey()), run(dir, "openssl", "pkey", "-in", javaPriv.toString(), "-pubout"));
        assertEquals(PssstKeys.toPem(mine.publicKey()), run(dir, "openssl", "pkey", "-pubin", "-in", javaPub.toString()));

        Path osslPriv = dir.resolve("peer.pem");
        Path osslPub = dir.resolve("peer.pub.pem");
        run(dir, "openssl", "genpkey", "-algorithm", "X25519", "-out", osslPriv.toString());
        run(dir, "openssl", "pkey", "-in", osslPriv.toString(), "-pubout", "-out", osslPub.toString());
        XECPrivateKey peer = PssstKeys.privateKeyFromPem(Files.readString(osslPriv));
        XECPublicKey peerPub = PssstKeys.publicKeyFromPem(Files.readString(osslPub));

        List<String> failures = new ArrayList<>();
        byte[] here = X25519.agree(mine.privateKey(), peerPub);
        byte[] there = derive(osslPriv, javaPub, "openssl-side.bin");
        byte[] mirrored = derive(javaPriv, osslPub, "java-side.bin");
        if (!Arrays.equals(here, there)) {
            failures.add("OpenSSL X25519(peer, java) differs from ours");
        }
        if (!Arrays.equals(here, mirrored)) {
            failures.add("OpenSSL X25519(java, peer) differs from ours");
        }
        if (!Arrays.equals(here, X25519.agree(peer, mine.publicKey()))) {
            failures.add("our X25519(peer, java) differs");
        }
        assertEquals(List.of(), failures);
    }

    private byte[] derive(Path privateKey, Path peerKey, String out) throws Exception {
        Path file = dir.resolve(out);
        run(dir, "openssl", "pkeyutl", "-derive", "-inkey", privateKey.toString(), "-peerkey", peerKey.toString(),
                "-out", file.toString());
        return Files.readAllBytes(file);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    /** Runs a command (bounded), fails on a non-zero exit, returns its standard output. */
    private static String run(Path dir, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(); // ends when the process closes its output
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.US_ASCII);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }
}
