package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.PssstKeys;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
    @TempDir
    Path dir;

    @Test
    void keygen_outPem_writesOwnerOnlyPkcs8AndPublicPem() throws Exception {
        Path key = dir.resolve("server.key");
        CliRun r = CliRun.run("keygen", "--out", key.toString());
        assertEquals(0, r.status(), r::toString);
        String priv = Files.readString(key);
        String pub = Files.readString(Path.of(key + ".pub"));
        assertTrue(priv.startsWith("-----BEGIN PRIVATE KEY-----\n"), priv.substring(0, 20));
        assertTrue(pub.startsWith("-----BEGIN PUBLIC KEY-----\n"));
        XECPrivateKey k = PssstKeys.privateKeyFromPem(priv);
        XECPublicKey p = PssstKeys.publicKeyFromPem(pub);
        assertArrayEquals(PssstKeys.toRaw(PssstKeys.publicKeyOf(k)), PssstKeys.toRaw(p));
        assertTrue(r.out().contains(PssstKeys.toHex(p)), r::toString);
        assertTrue(!r.out().contains(priv.substring(28, 60)), "the private key is never printed");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
    }

    @Test
    void keygen_hexAndRaw_writeReadableKeys() throws Exception {
        for (String format : new String[] {"hex", "raw"}) {
            Path key = dir.resolve(format + ".key");
            assertEquals(0, CliRun.run("keygen", "--out", key.toString(), "--format", format).status());
            byte[] priv = Files.readAllBytes(key);
            byte[] pub = Files.readAllBytes(Path.of(key + ".pub"));
            assertEquals(format.equals("hex") ? 65 : 32, priv.length);
            CliRun shown = CliRun.run("pubkey", key.toString());
            assertEquals(0, shown.status(), shown::toString);
            String expected = format.equals("hex") ? new String(pub).strip() : io.pssst.internal.Bytes.hex(pub);
            assertEquals(expected, shown.out().strip());
        }
    }

    @Test
    void keygen_noOut_printsPrivateThenPublic() throws Exception {
        CliRun r = CliRun.run("keygen", "--format", "hex");
        assertEquals(0, r.status());
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length);
        XECPrivateKey k = PssstKeys.privateKeyFromHex(lines[0]);
        assertEquals(PssstKeys.toHex(PssstKeys.publicKeyOf(k)), lines[1]);
    }

    @Test
    void keygen_existingFile_refusesWithoutForce_replacesWithForce() throws Exception {
        Path key = dir.resolve("k");
        Files.writeString(key, "precious");
        CliRun refused = CliRun.run("keygen", "--out", key.toString());
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains("already exists (use --force"), refused::toString);
        assertEquals("precious", Files.readString(key));
        assertEquals(0, CliRun.run("keygen", "--out", key.toString(), "--force").status());
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
    }

    @Test
    void keygen_rawWithoutOut_isUsageError() {
        CliRun r = CliRun.run("keygen", "--format", "raw");
        assertEquals(2, r.status());
        assertTrue(r.errIsOneLine(), r::toString);
    }

    @Test
    void keygen_missingDirectory_failsWithOneLine() {
        CliRun r = CliRun.run("keygen", "--out", dir.resolve("no/such/dir/k").toString());
        assertEquals(1, r.status());
        assertTrue(r.errIsOneLine(), r::toString);
    }

    @Test
    void keygen_posix_fileIsNeverWiderThanOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system only");
        Path key = dir.resolve("k2");
        KeyFiles.writePrivate(key, new byte[] {1, 2, 3});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(key));
    }

    @Test
    void keygen_outIsDirectoryWithForce_refusesAndKeepsTheDirectory() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        Path pubDir = Files.createDirectory(dir.resolve("k.pub"));
        for (Path out : new Path[] {empty, full, dir.resolve("k")}) {
            CliRun r = CliRun.run("keygen", "--out", out.toString(), "--force");
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.errIsOneLine() && r.err().contains("is a directory"), r::toString);
        }
        assertTrue(Files.isDirectory(empty) && Files.isDirectory(pubDir) && Files.exists(full.resolve("x")));
        assertTrue(!Files.exists(dir.resolve("k")), "nothing written when FILE.pub is a directory");
    }
}
