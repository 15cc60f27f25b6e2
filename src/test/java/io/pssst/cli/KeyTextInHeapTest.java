package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.PssstKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading or writing a private key file leaves no copy of the key's text on the heap: no
 * {@code String} of it, and no array filled with it and not wiped. Checked as someone with
 * a heap dump would: the JVM's own dump of every object (garbage not yet collected included)
 * is searched for the key's hex digits or base64, as one-byte characters (a Latin-1
 * {@code String}, a {@code byte[]}) and as two-byte ones (a {@code char[]}, a UTF-16
 * {@code String}; a dump writes them big-endian). The key is random, so a match is a copy.
 * Only the key object itself may remain, and it holds bytes, not text.
 *
 * <p>The test writes its key files without making text of them, and computes the patterns it
 * searches for only after the dump.
 */
class KeyTextInHeapTest {
    /** DER PKCS#8 v1 of an X25519 key, before its 32-byte scalar. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");

    @TempDir
    Path dir;

    @Test
    void hexPrivateKeyFile_read_leavesNoCopyOfItsText() throws Exception {
        byte[] raw = randomScalar();
        Path file = dir.resolve("hex.key");
        byte[] text = hexLine(raw);
        Files.write(file, text);
        Arrays.fill(text, (byte) 0);

        dumpHeapAfter(() -> assertArrayEquals(raw, PssstKeys.toRaw(KeyFiles.readPrivateKey(file.toString()))));
        List<String> copies = copiesInDump(hexLine(raw), 0, 64);
        assertEquals(List.of(), copies, "copies of the hex private key on the heap after reading its file");
    }

    @Test
    void pemPrivateKeyFile_read_leavesNoCopyOfItsBase64() throws Exception {
        byte[] raw = randomScalar();
        Path file = dir.resolve("pem.key");
        byte[] der = der(raw);
        byte[] pem = pem(der);
        Files.write(file, pem);
        Arrays.fill(pem, (byte) 0);
        Arrays.fill(der, (byte) 0);

        // base64 characters 24 to 63 come from the scalar's bytes 2 to 31 only (the 16-byte prefix is public)
        dumpHeapAfter(() -> assertArrayEquals(raw, PssstKeys.toRaw(KeyFiles.readPrivateKey(file.toString()))));
        List<String> copies = copiesInDump(Base64.getEncoder().encode(der(raw)), 24, 64);
        assertEquals(List.of(), copies, "copies of the PEM private key's base64 on the heap after reading its file");
    }

    @Test
    void keygen_hexAndPem_writeNoCopyOfTheKeyText() throws Exception {
        for (String format : new String[] {"hex", "pem"}) {
            Path key = dir.resolve(format + ".key");
            dumpHeapAfter(() -> {
                CliRun r = CliRun.run("keygen", "--format", format, "--out", key.toString());
                assertEquals(0, r.status(), r::toString);
            });
            byte[] raw = PssstKeys.toRaw(KeyFiles.readPrivateKey(key.toString()));
            List<String> copies = format.equals("hex") ? copiesInDump(hexLine(raw), 0, 64)
                    : copiesInDump(Base64.getEncoder().encode(der(raw)), 24, 64);
            assertEquals(List.of(), copies, "copies of the private key's text on the heap after keygen --format " + format);
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private Path dump;

    /** Runs {@code action}, then dumps the heap, every object (garbage included), to {@link #dump}. */
    private void dumpHeapAfter(Action action) throws Exception {
        System.gc(); // a smaller dump: the garbage of earlier tests goes first
        action.run();
        dump = dir.resolve("heap-" + System.nanoTime() + ".hprof");
        // by reflection: the tests are compiled into the module io.pssst, which reads no management module
        Class<?> diagnostic = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getPlatformMXBean", Class.class)
                .invoke(null, diagnostic);
        diagnostic.getMethod("dumpHeap", String.class, boolean.class).invoke(bean, dump.toString(), false);
    }

    /**
     * Where the last dump holds any 16 consecutive characters of {@code text[from, to)} (in
     * steps of 8), in one-byte or two-byte form; deletes the dump.
     */
    private List<String> copiesInDump(byte[] text, int from, int to) throws IOException {
        List<String> found = new ArrayList<>();
        ByteBuffer heap;
        try (FileChannel ch = FileChannel.open(dump, StandardOpenOption.READ)) {
            heap = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        for (int start = from; start + 16 <= to; start += 8) {
            byte[] one = Arrays.copyOfRange(text, start, start + 16);
            byte[] two = new byte[32];
            for (int i = 0; i < 16; i++) {
                two[2 * i + 1] = one[i];
            }
            for (byte[] pattern : new byte[][] {one, two}) {
                int at = indexOf(heap, pattern);
                if (at >= 0) {
                    found.add((pattern == one ? "1" : "2") + "-byte characters " + start + ".." + (start + 15)
                            + " at offset " + at + " of the heap dump");
                }
            }
        }
        Files.delete(dump);
        return found;
    }

    private static int indexOf(ByteBuffer heap, byte[] pattern) {
        int last = heap.limit() - pattern.length;
        byte first = pattern[0];
        for (int i = 0; i <= last; i++) {
            if (heap.get(i) == first && matches(heap, i, pattern)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(ByteBuffer heap, int at, byte[] pattern) {
        for (int j = 1; j < pattern.length; j++) {
            if (heap.get(at + j) != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] randomScalar() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return raw;
    }

    private static byte[] hexLine(byte[] raw) {
        byte[] line = new byte[65];
        for (int i = 0; i < 32; i++) {
            line[2 * i] = (byte) Character.forDigit((raw[i] >> 4) & 0xf, 16);
            line[2 * i + 1] = (byte) Character.forDigit(raw[i] & 0xf, 16);
        }
        line[64] = '\n';
        return line;
    }

    private static byte[] der(byte[] raw) {
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, 48);
        System.arraycopy(raw, 0, der, 16, 32);
        return der;
    }

    private static byte[] pem(byte[] der) {
        byte[] body = Base64.getEncoder().encode(der); // 64 characters: one line
        byte[] head = "-----BEGIN PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pem = Arrays.copyOf(head, head.length + body.length + tail.length);
        System.arraycopy(body, 0, pem, head.length, body.length);
        System.arraycopy(tail, 0, pem, head.length + body.length, tail.length);
        Arrays.fill(body, (byte) 0);
        return pem;
    }
}
