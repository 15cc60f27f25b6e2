package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstKeys;
import io.pssst.PssstX25519;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstClientPolicy;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.channel.PssstTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}'s key files: read at start (an empty {@code --previous-key} file is an empty
 * slot), and reloaded into a running server loop (what SIGHUP does: {@code ServeSighupIT}
 * sends the real signal): all or nothing, one log line either way, public keys only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeKeysTest {
    private static final PssstRetryPolicy ONCE = PssstRetryPolicy.of(Duration.ofMillis(300), 1.0,
            Duration.ofMillis(300), 1);
    private static final PssstRetryPolicy PATIENT = PssstRetryPolicy.of(Duration.ofMillis(500), 2.0,
            Duration.ofSeconds(2), 5);

    @TempDir
    Path dir;
    private Path oldKey;
    private Path newKey;
    private Path current;
    private Path previous;
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void keys() throws Exception {
        oldKey = CliRun.keygen(dir.resolve("old.key"));
        newKey = CliRun.keygen(dir.resolve("new.key"));
        current = dir.resolve("current.key");
        previous = dir.resolve("previous.key");
        install(oldKey, current);
        write(previous, "");
    }

    /** Replaces {@code target} atomically by a copy of {@code source}: a new file renamed over it. */
    private void install(Path source, Path target) throws Exception {
        write(target, Files.readString(source));
    }

    /** Replaces {@code target} atomically: a new owner-only file, renamed over it. */
    private void write(Path target, String content) throws Exception {
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static String hex(Path privateKeyFile) throws Exception {
        return PssstKeys.toHex(PssstKeys.publicKeyOf(KeyFiles.readPrivateKey(privateKeyFile.toString())));
    }

    private static String privateHex(Path privateKeyFile) throws Exception {
        return io.pssst.internal.Bytes.hex(PssstKeys.toRaw(KeyFiles.readPrivateKey(privateKeyFile.toString())));
    }

    @Test
    void read_currentAndPrevious_emptyPreviousIsAnEmptySlot() throws Exception {
        ServeKeys files = new ServeKeys(current.toString(), List.of(previous.toString()));
        ServeKeys.KeySet keys = files.read(err);
        assertEquals(List.of(), keys.previous());
        assertEquals("current " + hex(oldKey) + ", previous none", keys.describe());
        install(newKey, current);
        install(oldKey, previous);
        keys = files.read(err);
        assertEquals("current " + hex(newKey) + ", previous " + hex(oldKey), keys.describe());
        assertEquals("KeySet[1 current, 1 previous]", keys.toString());
    }

    @Test
    void read_badFiles_refusedWithTheFileNamed() throws Exception {
        write(current, "");
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> new ServeKeys(current.toString(), List.of()).read(err));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        install(oldKey, current);
        Path missing = dir.resolve("missing.key");
        e = assertThrows(CommandFailedException.class,
                () -> new ServeKeys(current.toString(), List.of(missing.toString())).read(err));
        assertTrue(e.getMessage().contains("not found: " + missing), e.getMessage());
        write(previous, "not a key\n");
        e = assertThrows(CommandFailedException.class,
                () -> new ServeKeys(current.toString(), List.of(previous.toString())).read(err));
        assertTrue(e.getMessage().contains(previous.toString()), e.getMessage());
    }

    /**
     * The three steps of a rotation on a running loop of two SO_REUSEPORT channels: old key
     * only; new current with old previous; new only. A failed reload in the middle keeps the
     * keys. The log names public keys only.
     */
    @Test
    void reload_stepByStep_intoARunningServer() throws Exception {
        ServeKeys files = new ServeKeys(current.toString(), List.of(previous.toString()));
        ServeKeys.KeySet keys = files.read(err);
        ServerLoop loop = ServerLoop.start(new ServerLoop.Config(keys.current(), keys.previous(),
                new InetSocketAddress("127.0.0.1", 0), 2, true, PssstClientPolicy.anonymousAllowed(), new byte[0],
                PssstX25519.configured(), ServerDefences.DEFAULT), err);
        try {
            InetSocketAddress at = loop.localAddress();
            assertTrue(answers(oldKey, at));
            assertRefused(loop, newKey, at, "the new key is not held yet");

            install(newKey, current);
            install(oldKey, previous);
            assertTrue(files.reload(loop::setKeys, err));
            assertTrue(err().endsWith("pssst serve: keys reloaded: current " + hex(newKey) + ", previous "
                    + hex(oldKey) + "\n"), err());
            assertTrue(answers(oldKey, at));
            assertTrue(answers(newKey, at));

            write(previous, "garbage\n");
            assertFalse(files.reload(loop::setKeys, err));
            assertTrue(err().endsWith("\n") && err().lines().reduce((a, b) -> b).orElseThrow()
                    .startsWith("pssst serve: key reload failed, keeping the old keys: " + previous), err());
            assertTrue(answers(oldKey, at), "a failed reload keeps the old keys");

            write(previous, "");
            assertTrue(files.reload(loop::setKeys, err));
            assertTrue(err().endsWith("pssst serve: keys reloaded: current " + hex(newKey) + ", previous none\n"),
                    err());
            assertTrue(answers(newKey, at));
            assertRefused(loop, oldKey, at, "the old key is dropped");

            String report = loop.keysReport(); // at least: 2 requests for the new key, 3 for the old (retransmissions opened too)
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("pssst serve: requests opened per key: current "
                    + hex(newKey) + " (\\d+), dropped " + hex(oldKey) + " (\\d+)").matcher(report);
            assertTrue(m.matches() && Long.parseLong(m.group(1)) >= 2 && Long.parseLong(m.group(2)) >= 3, report);
            for (Path k : new Path[] {oldKey, newKey}) {
                assertFalse(err().contains(privateHex(k)) || report.contains(privateHex(k)), "a private key leaked");
            }
            assertEquals(3, err().lines().count(), err());
        } finally {
            loop.stop();
        }
    }

    /** One request of a client of this server key (patient): whether its echo came back. */
    private static boolean answers(Path serverPrivateKeyFile, InetSocketAddress at) throws Exception {
        return call(serverPrivateKeyFile, at, PATIENT);
    }

    /** One request of a client of this server key, sent once: not answered, and dropped as decrypt-failed. */
    private static void assertRefused(ServerLoop loop, Path serverPrivateKeyFile, InetSocketAddress at, String why)
            throws Exception {
        long before = loop.refusedCounts().getOrDefault("decrypt-failed", 0L);
        assertFalse(call(serverPrivateKeyFile, at, ONCE), why);
        for (int i = 0; i < 500 && loop.refusedCounts().getOrDefault("decrypt-failed", 0L) == before; i++) {
            Thread.sleep(20);
        }
        assertEquals(before + 1, loop.refusedCounts().getOrDefault("decrypt-failed", 0L), why);
    }

    private static boolean call(Path serverPrivateKeyFile, InetSocketAddress at, PssstRetryPolicy retry)
            throws Exception {
        XECPublicKey pub = PssstKeys.publicKeyOf(KeyFiles.readPrivateKey(serverPrivateKeyFile.toString()));
        try (PssstClientChannel c = PssstClientChannel.builder(pub).retryPolicy(retry).open()) {
            ByteBuffer reply = c.call(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)), at, retry.totalTimeout());
            return StandardCharsets.UTF_8.decode(reply).toString().equals("hi");
        } catch (PssstTimeoutException e) {
            return false;
        }
    }
}
