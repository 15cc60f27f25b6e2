package io.pssst.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.PssstKeys;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.channel.PssstTimeoutException;
import io.pssst.internal.Bytes;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code pssst serve} as a process reloads its key files on a real SIGHUP ({@code kill -HUP}):
 * the whole new key set, or, when a file is bad, none of it (the old keys stay, one line says
 * why); SIGHUP never stops it; its logs name public keys only. A server started with SIGHUP
 * ignored ({@code nohup}) says that it cannot reload. Linux (or any system with {@code kill}).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServeReloadIT {
    private static final Duration LOG = Duration.ofSeconds(30);
    private static final PssstRetryPolicy PATIENT = PoolCalls.patient();
    private static final PssstRetryPolicy ONCE = PssstRetryPolicy.of(Duration.ofMillis(500), 1.0,
            Duration.ofMillis(500), 1);

    @Test
    void sighup_reloadsTheKeyFiles_allOrNothing_neverStops() throws Exception {
        assumeTrue(hasKill(), "no kill command here");
        PssstJar pssst = PssstJar.forTest("reload");
        Path oldKey = pssst.keygen("old.key");
        Path newKey = pssst.keygen("new.key");
        String oldHex = publicHex(oldKey);
        String newHex = publicHex(newKey);
        KeySlots slots = KeySlots.in(pssst.dir().resolve("S"), oldKey);
        try (PoolServer s = PoolServer.tryStart(pssst, "S", "127.0.0.1:0", slots.current, slots.options())) {
            assertNotNull(s, "no port");
            assertTrue(answered(s, oldKey, "1"));
            assertRefused(s, newKey, "the new key is not held yet");

            slots.set(newKey, oldKey);
            s.signal("HUP");
            await(s, "pssst serve: keys reloaded: current " + newHex + ", previous " + oldHex + "\n");
            assertTrue(answered(s, oldKey, "3"));
            assertTrue(answered(s, newKey, "4"));

            slots.spoilPrevious();
            s.signal("HUP");
            await(s, "pssst serve: key reload failed, keeping the old keys: " + slots.previous);
            assertTrue(answered(s, oldKey, "5"), "a failed reload keeps the old keys");
            assertTrue(answered(s, newKey, "6"));

            slots.set(newKey, null);
            s.signal("HUP");
            await(s, "pssst serve: keys reloaded: current " + newHex + ", previous none\n");
            assertTrue(answered(s, newKey, "7"));
            assertRefused(s, oldKey, "the old key is dropped");
            assertTrue(s.isAlive(), "SIGHUP does not stop serve");

            PoolServer.Stats stats = s.stop();
            assertEquals("decrypt-failed 2", stats.refused(), s::output);
            Matcher perKey = Pattern.compile("requests opened per key: current " + newHex + " (\\d+), dropped "
                    + oldHex + " (\\d+)\n").matcher(s.output());
            assertTrue(perKey.find(), s::output);
            assertTrue(Long.parseLong(perKey.group(1)) >= 3 && Long.parseLong(perKey.group(2)) >= 3, s::output);
            for (Path k : List.of(oldKey, newKey)) {
                assertFalse(s.output().contains(privateHex(k)), "a private key in serve's output");
            }
            System.out.printf("ServeReloadIT: three SIGHUPs (rotate, a bad file kept the keys, drop the old key):%n%s",
                    s.output().lines().filter(l -> l.contains("reload") || l.contains("per key"))
                            .map(l -> "  " + l + "\n").reduce("", String::concat));
        }
    }

    /** Under {@code nohup} SIGHUP never reaches the JVM: serve says so at start, and keeps running. */
    @Test
    void nohup_sighupIgnored_saidAtStart() throws Exception {
        assumeTrue(hasKill() && Files.isExecutable(Path.of("/usr/bin/nohup")), "no kill or nohup here");
        PssstJar pssst = PssstJar.forTest("reload-nohup");
        Path key = pssst.keygen("server.key");
        List<String> command = new ArrayList<>(List.of("/usr/bin/nohup"));
        command.addAll(pssst.command("serve", "--key", key.toString(), "--bind", "127.0.0.1:0"));
        try (PoolProcess p = PoolProcess.start("serve-nohup", pssst.dir(), PoolServer.LIFETIME, command)) {
            p.awaitOutput(Pattern.compile("listening on"), Duration.ofSeconds(60));
            assertNotNull(p.awaitOutput(Pattern.compile("pssst serve: SIGHUP is ignored in this process \\(started with"
                    + " nohup\\?\\): the key files will not be reloaded; restart to change keys"), LOG), p::output);
            p.signal("HUP");
            Thread.sleep(500);
            assertTrue(p.isAlive(), p::output);
            assertEquals(0, p.terminate(Duration.ofSeconds(30)), p::output);
        }
    }

    private static void await(PoolServer s, String line) throws InterruptedException {
        assertNotNull(s.awaitOutput(Pattern.compile(Pattern.quote(line)), LOG), s::output);
    }

    /** One request of a client of this server key (patient): whether the server's echo came back. */
    private static boolean answered(PoolServer s, Path serverKey, String message) throws Exception {
        return call(s, serverKey, message, PATIENT);
    }

    /** One request of a client of this server key, sent once: no answer. */
    private static void assertRefused(PoolServer s, Path serverKey, String why) throws Exception {
        assertFalse(call(s, serverKey, "refused?", ONCE), why);
    }

    private static boolean call(PoolServer s, Path serverKey, String message, PssstRetryPolicy retry)
            throws Exception {
        InetSocketAddress at = s.address;
        try (PssstClientChannel c = PssstClientChannel.builder(PssstJar.publicKey(Path.of(serverKey + ".pub")))
                .retryPolicy(retry).open()) {
            ByteBuffer reply = c.call(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), at,
                    retry.totalTimeout());
            assertEquals(s.id + ": " + message, StandardCharsets.UTF_8.decode(reply).toString());
            return true;
        } catch (PssstTimeoutException e) {
            return false;
        }
    }

    private static String publicHex(Path privateKeyFile) throws Exception {
        return PssstKeys.toHex(PssstJar.publicKey(Path.of(privateKeyFile + ".pub")));
    }

    private static String privateHex(Path privateKeyFile) throws Exception {
        return Bytes.hex(PssstKeys.toRaw(PssstJar.privateKey(privateKeyFile)));
    }

    private static boolean hasKill() {
        try {
            Process p = new ProcessBuilder("kill", "-l").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
