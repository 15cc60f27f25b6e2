package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys made by {@code pssst keygen} read by openssl, and keys made by openssl read by pssst. Skipped without openssl. */
class OpensslInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenssl() {
        boolean present;
        try {
            present = openssl(List.of("version")).status == 0;
        } catch (IOException e) {
            present = false;
        }
        assumeTrue(present, "openssl is not installed: skipping keygen <-> openssl tests (CI installs it)");
    }

    private record Result(int status, String out) {
    }

    private static Result openssl(List<String> args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void keygen_pem_opensslReadsBothFilesAndAgreesOnThePublicKey() throws Exception {
        Path key = dir.resolve("k");
        CliRun.keygen(key);
        Result text = openssl(List.of("pkey", "-in", key.toString(), "-noout", "-text"));
        assertEquals(0, text.status, text.out);
        assertTrue(text.out.contains("X25519 Private-Key"), text.out);
        Result pub = openssl(List.of("pkey", "-in", key.toString(), "-pubout"));
        assertEquals(0, pub.status, pub.out);
        assertEquals(Files.readString(Path.of(key + ".pub")), pub.out);
        Result pubIn = openssl(List.of("pkey", "-pubin", "-in", key + ".pub", "-noout"));
        assertEquals(0, pubIn.status, pubIn.out);
    }

    @Test
    void opensslGenpkey_pemAndDer_pssstReadsThemAndAgrees() throws Exception {
        Path key = dir.resolve("o.key");
        assertEquals(0, openssl(List.of("genpkey", "-algorithm", "X25519", "-out", key.toString())).status);
        Path pubDer = dir.resolve("o.pub.der");
        assertEquals(0, openssl(List.of("pkey", "-in", key.toString(), "-pubout", "-outform", "DER",
                "-out", pubDer.toString())).status);
        byte[] der = Files.readAllBytes(pubDer);
        String expectedHex = io.pssst.internal.Bytes.hex(java.util.Arrays.copyOfRange(der, der.length - 32, der.length));

        CliRun fromPem = CliRun.run("pubkey", key.toString());
        assertEquals(0, fromPem.status(), fromPem::toString);
        assertEquals(expectedHex, fromPem.out().strip());
        CliRun fromPubDer = CliRun.run("pubkey", pubDer.toString());
        assertEquals(expectedHex, fromPubDer.out().strip(), fromPubDer::toString);

        Path privDer = dir.resolve("o.der");
        assertEquals(0, openssl(List.of("pkey", "-in", key.toString(), "-outform", "DER", "-out", privDer.toString())).status);
        assertEquals(expectedHex, CliRun.run("pubkey", privDer.toString()).out().strip());
    }
}
