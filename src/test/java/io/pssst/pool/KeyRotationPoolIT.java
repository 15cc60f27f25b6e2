package io.pssst.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.PssstKeys;
import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.channel.PssstTimeoutException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * Issue 10, item 1, as a test: a pool of three {@code pssst serve} processes (127.0.0.2, .3,
 * .4) behind nginx changes its key under continuous load, step by step, with no failed
 * transaction. Each server reads {@code --key current.key --previous-key previous.key} from
 * a folder of its own ({@link KeySlots}), rewritten atomically (write, rename) before each
 * SIGHUP:
 * <ol>
 *   <li>all servers on the old key, old-key clients running;</li>
 *   <li>each server in turn: current = new, previous = old, SIGHUP; then new-key clients start
 *       beside the old-key ones;</li>
 *   <li>the old-key clients finish; each server in turn: previous dropped, SIGHUP.</li>
 * </ol>
 * No call may fail or time out beyond the default retry policy; every server must answer both
 * keys during step 2; each server's per-key counts must show the move; afterwards requests for
 * the old key are refused (the only refusals of the whole run). Skipped, saying what to
 * install, without nginx and its stream module. Its files are left in
 * {@code target/pool-it/rotation}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KeyRotationPoolIT {
    private static final List<String> HOSTS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    private static final List<String> IDS = List.of("A", "B", "C");
    private static final Duration STEP = Duration.ofSeconds(2); // load runs at least this long across each step
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final int OLD_REFUSED = 6;

    @Test
    void poolRotatesItsKeyStepByStep_underLoadFromBothKeys_noTransactionFails() throws Exception {
        Nginx.Installation installation = Nginx.findOrSkip();
        assumeTrue(HOSTS.stream().allMatch(PoolServer::canBind),
                HOSTS + " are not all loopback addresses here (Linux routes all of 127.0.0.0/8 to lo)");
        PssstJar pssst = PssstJar.forTest("rotation");
        Path oldKey = pssst.keygen("old.key");
        Path newKey = pssst.keygen("new.key");
        Path clientKey = pssst.keygen("client.key");
        String oldHex = PssstKeys.toHex(PssstJar.publicKey(Path.of(oldKey + ".pub")));
        String newHex = PssstKeys.toHex(PssstJar.publicKey(Path.of(newKey + ".pub")));

        List<PoolServer> servers = new ArrayList<>();
        List<KeySlots> slots = new ArrayList<>();
        try {
            for (int i = 0; i < IDS.size(); i++) {
                KeySlots s = KeySlots.in(pssst.dir().resolve(IDS.get(i)), oldKey);
                PoolServer server = PoolServer.tryStart(pssst, IDS.get(i), HOSTS.get(i) + ":0", s.current, s.options());
                assertNotNull(server, "no free port on " + HOSTS.get(i));
                servers.add(server);
                slots.add(s);
            }
            try (Nginx nginx = Nginx.start(installation, pssst.dir().resolve("nginx"), "127.0.0.1",
                    servers.stream().map(s -> s.address).toList())) {
                RotationLoad load = new RotationLoad(nginx.address(), IDS, PssstJar.privateKey(clientKey));
                long started = System.nanoTime();

                // Step 1: all on the old key.
                load.phase("1 old key only");
                load.start("old", PssstJar.publicKey(Path.of(oldKey + ".pub")), 2);
                load.await("every server answers the old key", () -> load.everyServerAnswered("1 old key only", "old", 5),
                        STEP, BOUND);

                // Step 2: each server in turn gets the new key as current, the old one as previous; then new clients.
                load.phase("2a servers take the new key");
                for (int i = 0; i < servers.size(); i++) {
                    slots.get(i).set(newKey, oldKey);
                    reload(servers.get(i), "current " + newHex + ", previous " + oldHex);
                    load.await("load across " + IDS.get(i) + "'s reload", () -> true, STEP, BOUND);
                }
                load.phase("2b both keys");
                load.start("new", PssstJar.publicKey(Path.of(newKey + ".pub")), 2);
                load.await("every server answers both keys", () -> load.everyServerAnswered("2b both keys", "old", 5)
                        && load.everyServerAnswered("2b both keys", "new", 5), STEP, BOUND);

                // Step 3: the old clients finish (and their last datagrams drain); each server in turn drops the old key.
                load.phase("3a old clients finish");
                load.stop("old");
                load.await("the old clients' last datagrams drain (nginx's proxy_timeout)", () -> true, STEP, BOUND);
                load.phase("3b servers drop the old key");
                for (int i = 0; i < servers.size(); i++) {
                    slots.get(i).set(newKey, null);
                    reload(servers.get(i), "current " + newHex + ", previous none");
                    load.await("load across " + IDS.get(i) + "'s reload", () -> true, STEP, BOUND);
                }
                load.phase("3c new key only");
                load.await("every server answers the new key", () -> load.everyServerAnswered("3c new key only", "new",
                        5), STEP, BOUND);
                load.stop("new");
                double seconds = (System.nanoTime() - started) / 1e9;

                assertEquals(List.of(), load.failures(), load::summary);
                assertEquals(0, load.failed(), load::summary);
                for (String id : IDS) {
                    assertTrue(load.count("2b both keys", "old", id) > 0 && load.count("2b both keys", "new", id) > 0,
                            () -> id + " did not answer both keys in step 2\n" + load.summary());
                }

                // After step 3 a request for the old key is refused by whichever server gets it.
                int answeredOld = oldKeyRequestsAnswered(nginx.address(), PssstJar.publicKey(Path.of(oldKey + ".pub")));
                assertEquals(0, answeredOld, "requests for the dropped key must not be answered");

                StringBuilder perServer = new StringBuilder();
                long refused = 0;
                for (PoolServer s : servers) {
                    PoolServer.Stats stats = s.stop();
                    assertEquals(stats.requests(), stats.replies(), s::output);
                    Matcher m = Pattern.compile("requests opened per key: current " + newHex + " (\\d+), dropped "
                            + oldHex + " (\\d+)\n").matcher(s.output());
                    assertTrue(m.find(), s::output);
                    long onNew = Long.parseLong(m.group(1));
                    long onOld = Long.parseLong(m.group(2));
                    assertTrue(onOld >= load.answeredBy("old", s.id) && onNew >= load.answeredBy("new", s.id),
                            () -> s.id + ": the per-key counts do not cover the answers seen\n" + s.output());
                    assertTrue(onOld > 0 && onNew > 0, s::output);
                    if (!stats.refused().equals("none")) {
                        Matcher r = Pattern.compile("decrypt-failed (\\d+)").matcher(stats.refused());
                        assertTrue(r.matches(), () -> s.id + " refused more than old-key requests: " + stats.refused());
                        refused += Long.parseLong(r.group(1));
                    }
                    perServer.append(String.format("  %s: %d requests, %d replies, refused %s; opened per key: old %d,"
                            + " new %d%n", s.id, stats.requests(), stats.replies(), stats.refused(), onOld, onNew));
                }
                assertEquals(OLD_REFUSED, refused, "refused: exactly the old-key requests sent after step 3");

                System.out.printf("KeyRotationPoolIT: nginx %s in front of %s; 2 old-key and 2 new-key clients"
                        + " (default retry policy), %.0f s in all%n%s  after step 3: %d old-key requests, %d answered,"
                        + " %d refused%n%s", nginx.address(), servers, seconds, load.summary(), OLD_REFUSED, answeredOld,
                        refused, perServer);
            }
        } finally {
            for (PoolServer s : servers) {
                s.close();
            }
        }
    }

    /** SIGHUP, then waits for the server's line naming its new keys. */
    private static void reload(PoolServer server, String keys) throws Exception {
        server.signal("HUP");
        assertNotNull(server.awaitOutput(Pattern.compile(Pattern.quote("pssst serve: keys reloaded: " + keys + "\n")),
                Duration.ofSeconds(30)), server::output);
    }

    /** {@value #OLD_REFUSED} requests for the old key, each sent once (500 ms): how many were answered. */
    private static int oldKeyRequestsAnswered(InetSocketAddress target, java.security.interfaces.XECPublicKey oldKey)
            throws Exception {
        PssstRetryPolicy once = PssstRetryPolicy.of(Duration.ofMillis(500), 1.0, Duration.ofMillis(500), 1);
        int answered = 0;
        try (PssstClientChannel c = PssstClientChannel.builder(oldKey).retryPolicy(once).open()) {
            for (int i = 0; i < OLD_REFUSED; i++) {
                try {
                    c.call(ByteBuffer.wrap(("old after " + i).getBytes(StandardCharsets.UTF_8)), target,
                            once.totalTimeout());
                    answered++;
                } catch (PssstTimeoutException e) {
                    // refused: the server dropped it
                }
            }
        }
        return answered;
    }
}
