package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PubkeyCommandTest {
    @TempDir
    Path dir;

    private final KeyPair pair = PssstKeys.generateKeyPair();

    private String pubHex() throws Exception {
        return PssstKeys.toHex((XECPublicKey) pair.getPublic());
    }

    @Test
    void pubkey_privatePem_printsHex() throws Exception {
        Path f = dir.resolve("k.pem");
        Files.writeString(f, PssstKeys.toPem((XECPrivateKey) pair.getPrivate()));
        CliRun r = CliRun.run("pubkey", f.toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals(pubHex() + "\n", r.out());
    }

    @Test
    void pubkey_privateDer_printsHex() throws Exception {
        Path f = dir.resolve("k.der");
        Files.write(f, PssstKeys.toDer((XECPrivateKey) pair.getPrivate()));
        assertEquals(pubHex() + "\n", CliRun.run("pubkey", f.toString()).out());
    }

    @Test
    void pubkey_publicPem_printsPem() throws Exception {
        Path f = dir.resolve("k.pub");
        String pem = PssstKeys.toPem((XECPublicKey) pair.getPublic());
        Files.writeString(f, pem);
        CliRun r = CliRun.run("pubkey", f.toString(), "--format", "pem");
        assertEquals(0, r.status(), r::toString);
        assertEquals(pem, r.out());
    }

    @Test
    void pubkey_missingFile_exitsOneNamingTheFile() {
        CliRun r = CliRun.run("pubkey", dir.resolve("absent.key").toString());
        assertEquals(1, r.status());
        assertTrue(r.errIsOneLine(), r::toString);
        assertTrue(r.err().contains("key file not found: ") && r.err().contains("absent.key"), r::toString);
    }

    @Test
    void pubkey_badKey_exitsOneWithoutEchoingContent() throws Exception {
        Path f = dir.resolve("bad.key");
        Files.writeString(f, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0c2VjcmV0\n-----END PRIVATE KEY-----\n");
        CliRun r = CliRun.run("pubkey", f.toString());
        assertEquals(1, r.status());
        assertTrue(r.errIsOneLine(), r::toString);
        assertTrue(r.err().contains("not a usable X25519 private key"), r::toString);
        assertTrue(!r.err().contains("c2VjcmV0"), r::toString);
    }

    @Test
    void readPublicKey_privateKeyFile_refusedWithHint() throws Exception {
        Path f = dir.resolve("server.key");
        Files.writeString(f, PssstKeys.toPem((XECPrivateKey) pair.getPrivate()));
        CommandFailedException e = org.junit.jupiter.api.Assertions.assertThrows(CommandFailedException.class,
                () -> KeyFiles.readPublicKey(f.toString()));
        assertTrue(e.getMessage().contains("server.key.pub"), e.getMessage());
    }

    @Test
    void readPublicKey_hexArgument_isTheKey() throws Exception {
        assertEquals(pubHex(), PssstKeys.toHex(KeyFiles.readPublicKey(pubHex().toUpperCase())));
    }

    @Test
    void readPrivateKey_publicKeyFile_refused() throws Exception {
        Path f = dir.resolve("k.pub");
        Files.writeString(f, PssstKeys.toPem((XECPublicKey) pair.getPublic()));
        CommandFailedException e = org.junit.jupiter.api.Assertions.assertThrows(CommandFailedException.class,
                () -> KeyFiles.readPrivateKey(f.toString()));
        assertTrue(e.getMessage().contains("holds a public key"), e.getMessage());
    }

    @Test
    void keyFiles_binaryGarbage_saysBinaryNotHexDigitCount() throws Exception {
        Path f = dir.resolve("garbage.bin");
        byte[] junk = new byte[500];
        new java.util.Random(4).nextBytes(junk);
        junk[0] = 1; // not a DER SEQUENCE
        Files.write(f, junk);
        CliRun r = CliRun.run("pubkey", f.toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.errIsOneLine() && r.err().contains("500 bytes of binary data"), r::toString);
        CommandFailedException e = org.junit.jupiter.api.Assertions.assertThrows(CommandFailedException.class,
                () -> KeyFiles.readPublicKey(f.toString()));
        assertTrue(e.getMessage().contains("not an X25519 public key file"), e.getMessage());
    }

    @Test
    void keyFiles_endlessDevice_refusedWithoutReadingItAll() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/zero")), "no /dev/zero here");
        for (String[] argv : new String[][] {{"pubkey", "/dev/zero"}, {"send", "--server", "127.0.0.1:9", "--server-key",
                "/dev/zero"}}) {
            CliRun r = CliRun.run(argv);
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.errIsOneLine() && r.err().contains("too large"), r::toString);
        }
    }

    @Test
    void keyFiles_pemCutShortOrWithoutEndLine_saySo() throws Exception {
        Path key = CliRun.keygen(dir.resolve("k.key"));
        List<String> lines = Files.readAllLines(key);
        Path cut = dir.resolve("cut.key");
        Files.writeString(cut, lines.get(0) + "\n" + lines.get(1).substring(0, 20)); // as a copy cut short
        Path noEnd = dir.resolve("noend.key");
        Files.write(noEnd, lines.subList(0, lines.size() - 1));
        for (Path p : List.of(cut, noEnd)) {
            CliRun r = CliRun.run("serve", "--key", p.toString());
            assertEquals(1, r.status(), r::toString);
            assertEquals("pssst serve: " + p + ": not a usable X25519 private key (the PEM \"PRIVATE KEY\" block has no"
                    + " END line (-----END PRIVATE KEY-----): the text is cut short)\n", r.err());
        }
        List<String> pub = Files.readAllLines(Path.of(key + ".pub"));
        Path pubNoEnd = dir.resolve("noend.pub");
        Files.write(pubNoEnd, pub.subList(0, pub.size() - 1));
        CliRun r = CliRun.run("pubkey", pubNoEnd.toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.errIsOneLine() && r.err().contains("the PEM \"PUBLIC KEY\" block has no END line"), r::toString);
    }

    @Test
    void keyFiles_empty_sayEmpty() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.key"));
        Path blank = Files.writeString(dir.resolve("blank.key"), " \n\n");
        for (String[] argv : new String[][] {
            {"serve", "--key", empty.toString()},
            {"send", "--server", "127.0.0.1:9", "--server-key", empty.toString()},
            {"pubkey", empty.toString()},
        }) {
            CliRun r = CliRun.run(argv);
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.errIsOneLine() && r.err().endsWith(" file " + empty + " is empty\n"), r::toString);
        }
        CliRun r = CliRun.run("serve", "--key", blank.toString());
        assertEquals("pssst serve: private key file " + blank + " is empty (it holds only white space)\n", r.err());
    }
}
