package io.pssst.channel;

import static io.pssst.channel.Loopback.any;
import static io.pssst.channel.Loopback.reverse;
import static io.pssst.channel.Loopback.string;
import static io.pssst.channel.Loopback.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstKeys;
import io.pssst.PssstX25519;
import io.pssst.channel.PssstChannelStats.DropReason;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Key rotation on a server channel (issue 10, item 1): previous keys from the builder, keys
 * replaced on a running channel with {@link PssstServerChannel#setKeys} (atomically; pending
 * replies unaffected), and requests opened per key in {@link PssstChannelStats}, by public key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerKeyRotationTest {
    private static final KeyPair OLD = PssstKeys.generateKeyPair();
    private static final KeyPair NEW = PssstKeys.generateKeyPair();
    private static final PssstRetryPolicy PATIENT = PssstRetryPolicy.of(Duration.ofMillis(500), 2.0,
            Duration.ofSeconds(2), 5);

    private static XECPrivateKey priv(KeyPair k) {
        return (XECPrivateKey) k.getPrivate();
    }

    private static XECPublicKey pub(KeyPair k) {
        return (XECPublicKey) k.getPublic();
    }

    private static String hex(KeyPair k) throws InvalidKeyMaterialException {
        return PssstKeys.toHex(pub(k));
    }

    private static PssstClientChannel client(KeyPair serverKey) throws Exception {
        return PssstClientChannel.builder(pub(serverKey)).retryPolicy(PATIENT).open();
    }

    private static String call(PssstClientChannel c, String message, SocketAddress server) throws Exception {
        return string(c.call(utf8(message), server, c.retryPolicy().totalTimeout()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PssstX25519.class)
    void builderPreviousKeys_clientsOfEitherKeyAnswered_countedPerKey(PssstX25519 x25519) throws Exception {
        PssstServerChannel channel = PssstServerChannel.builder(priv(NEW)).previousKeys(List.of(priv(OLD)))
                .x25519(x25519).open();
        try (Loopback.ReversingServer server = new Loopback.ReversingServer(channel, "127.0.0.1");
                PssstClientChannel oldClient = client(OLD); PssstClientChannel newClient = client(NEW)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(reverse("old" + i), call(oldClient, "old" + i, server.address));
            }
            assertEquals(reverse("new"), call(newClient, "new", server.address));
            PssstChannelStats stats = channel.stats();
            assertEquals(List.of(hex(NEW), hex(OLD)), stats.serverKeys());
            assertPerKey(ordered(hex(NEW), 1L, hex(OLD), 3L), stats.requestsOpenedByKey());
            assertEquals(4, stats.requestsAccepted());
            assertEquals(0, stats.droppedTotal());
            assertTrue(stats.toString().contains("requestsOpenedByKey={" + hex(NEW) + "=1, " + hex(OLD) + "=3}"),
                    stats::toString);
        }
    }

    /**
     * The rotation's three steps on one running channel: old only; new current with old
     * previous; new only. A request received before a change is answered after it, under the
     * key its client used; counts follow the public keys.
     */
    @Test
    void setKeys_stepByStep_pendingRepliesSurvive_countsFollowTheKeys() throws Exception {
        try (PssstServerChannel server = PssstServerChannel.builder(priv(OLD)).open();
                DatagramChannel wire = DatagramChannel.open().bind(any("127.0.0.1"))) {
            server.bind(any("127.0.0.1"));
            SocketAddress address = server.getLocalAddress();
            PssstClient oldEngine = PssstClient.anonymous(pub(OLD));
            PssstClient newEngine = PssstClient.anonymous(pub(NEW));

            PackedRequest first = send(wire, oldEngine, "before", address);
            PssstPendingRequest pendingOld = receive(server, "before");

            server.setKeys(priv(NEW), List.of(priv(OLD))); // step 2
            PackedRequest second = send(wire, oldEngine, "old, during", address);
            PssstPendingRequest pendingOld2 = receive(server, "old, during");
            PackedRequest third = send(wire, newEngine, "new, during", address);
            PssstPendingRequest pendingNew = receive(server, "new, during");
            assertPerKey(ordered(hex(NEW), 1L, hex(OLD), 2L), server.stats().requestsOpenedByKey());

            server.setKeys(priv(NEW), List.of()); // step 3: the old key dropped, replies still pending
            pendingOld.reply(utf8("one"));
            pendingOld2.reply(utf8("two"));
            pendingNew.reply(utf8("three"));
            assertEquals("one", replyOf(wire, first));
            assertEquals("two", replyOf(wire, second));
            assertEquals("three", replyOf(wire, third));

            send(wire, oldEngine, "old, after", address);
            PackedRequest fourth = send(wire, newEngine, "new, after", address);
            receive(server, "new, after").reply(utf8("four")); // the old key's request was dropped first
            assertEquals("four", replyOf(wire, fourth));
            PssstChannelStats stats = server.stats();
            assertEquals(1, stats.dropped(DropReason.DECRYPT_FAILED), stats::toString);
            assertEquals(List.of(hex(NEW)), stats.serverKeys());
            assertPerKey(ordered(hex(NEW), 2L, hex(OLD), 2L), stats.requestsOpenedByKey(),
                    "a key no longer held keeps its final count, after the keys held");
            assertEquals(0, server.pendingReplies());
        }
    }

    /**
     * Keys flipped continually under load (at least 200 changes and 200 calls of each key):
     * every request of either key answered, nothing dropped.
     */
    @Test
    void setKeys_underLoad_isAtomic_nothingDropped() throws Exception {
        PssstServerChannel channel = PssstServerChannel.builder(priv(NEW)).previousKeys(List.of(priv(OLD))).open();
        try (Loopback.ReversingServer server = new Loopback.ReversingServer(channel, "127.0.0.1")) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> clients = new ArrayList<>();
            AtomicLongArray answered = new AtomicLongArray(2);
            for (int k = 0; k < 2; k++) {
                int kind = k;
                Thread t = new Thread(() -> {
                    try (PssstClientChannel c = client(kind == 0 ? OLD : NEW)) {
                        for (int i = 0; !stop.get() && i < 100_000; i++) {
                            String m = (kind == 0 ? "old-" : "new-") + i;
                            assertEquals(reverse(m), call(c, m, server.address));
                            answered.incrementAndGet(kind);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "rotation-client-" + k);
                t.setDaemon(true);
                clients.add(t);
                t.start();
            }
            int flips = 0;
            for (; flips < 5_000 && failure.get() == null
                    && (flips < 200 || answered.get(0) < 200 || answered.get(1) < 200); flips++) {
                if (flips % 2 == 0) {
                    channel.setKeys(priv(OLD), List.of(priv(NEW)));
                } else {
                    channel.setKeys(priv(NEW), List.of(priv(OLD)));
                }
                Thread.sleep(1);
            }
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
            if (failure.get() != null) {
                throw new AssertionError("a client failed", failure.get());
            }
            PssstChannelStats stats = channel.stats();
            assertTrue(answered.get(0) > 0 && answered.get(1) > 0, answered::toString);
            assertEquals(0, stats.droppedTotal(), stats::toString);
            Map<String, Long> perKey = stats.requestsOpenedByKey();
            assertEquals(answered.get(0) + answered.get(1), perKey.get(hex(OLD)) + perKey.get(hex(NEW)),
                    stats::toString);
            assertEquals(stats.requestsAccepted(), perKey.get(hex(OLD)) + perKey.get(hex(NEW)));
            System.out.printf("ServerKeyRotationTest: %d key changes under load: %d old-key and %d new-key calls,"
                    + " all answered; %s%n", flips, answered.get(0), answered.get(1), stats);
        }
    }

    @Test
    void setKeys_badKey_refused_nothingChanges() throws Exception {
        KeyPairGenerator x448 = KeyPairGenerator.getInstance("XDH");
        x448.initialize(NamedParameterSpec.X448);
        XECPrivateKey notX25519 = (XECPrivateKey) x448.generateKeyPair().getPrivate();
        try (PssstServerChannel server = PssstServerChannel.builder(priv(OLD)).open()) {
            assertThrows(InvalidKeyMaterialException.class, () -> server.setKeys(notX25519, List.of()));
            assertThrows(InvalidKeyMaterialException.class, () -> server.setKeys(priv(NEW), List.of(notX25519)));
            assertThrows(NullPointerException.class, () -> server.setKeys(null, List.of()));
            List<XECPrivateKey> withNull = new ArrayList<>();
            withNull.add(null);
            assertThrows(NullPointerException.class, () -> server.setKeys(priv(NEW), withNull));
            assertEquals(List.of(hex(OLD)), server.stats().serverKeys());
        }
        assertThrows(InvalidKeyMaterialException.class,
                () -> PssstServerChannel.builder(priv(NEW)).previousKeys(List.of(notX25519)));
    }

    /**
     * Channels of one builder share its session (and its client tables) but not their keys
     * or counts: setKeys changes one channel. With the built-in X25519 and an allow-list the
     * tables survive the change: the allowed client is still answered, and a stranger refused.
     */
    @Test
    void builderChannels_keysAndCountsAreEachChannelsOwn_policySurvivesSetKeys() throws Exception {
        KeyPair stranger = PssstKeys.generateKeyPair();
        PssstServerChannel.Builder builder = PssstServerChannel.builder(priv(OLD)).x25519(PssstX25519.BUILTIN)
                .clientPolicy(PssstClientPolicy.allowList(List.of(Loopback.clientPublic())));
        try (Loopback.ReversingServer a = new Loopback.ReversingServer(builder.open(), "127.0.0.1");
                Loopback.ReversingServer b = new Loopback.ReversingServer(builder.open(), "127.0.0.1");
                PssstClientChannel oldClient = PssstClientChannel.builder(pub(OLD)).clientKey(Loopback.clientPrivate())
                        .retryPolicy(PATIENT).open();
                PssstClientChannel newClient = PssstClientChannel.builder(pub(NEW)).clientKey(Loopback.clientPrivate())
                        .retryPolicy(PATIENT).open();
                PssstClientChannel strangerClient = PssstClientChannel.builder(pub(NEW))
                        .clientKey((XECPrivateKey) stranger.getPrivate()).retryPolicy(
                                PssstRetryPolicy.of(Duration.ofMillis(100), 1.0, Duration.ofMillis(100), 1)).open()) {
            a.channel.setKeys(priv(NEW), List.of());
            assertEquals(reverse("to a"), call(newClient, "to a", a.address));
            assertEquals(reverse("to b"), call(oldClient, "to b", b.address));
            assertThrows(PssstTimeoutException.class, () -> call(strangerClient, "refused", a.address));
            assertPerKey(ordered(hex(NEW), 2L, hex(OLD), 0L), a.channel.stats().requestsOpenedByKey());
            assertEquals(1, a.channel.stats().dropped(DropReason.POLICY_REFUSED));
            assertPerKey(ordered(hex(OLD), 1L), b.channel.stats().requestsOpenedByKey());
            assertEquals(List.of(hex(OLD)), b.channel.stats().serverKeys());
        }
    }

    @Test
    void clientChannel_hasNoServerKeys() throws Exception {
        try (PssstClientChannel c = client(NEW)) {
            assertEquals(List.of(), c.stats().serverKeys());
            assertEquals(Map.of(), c.stats().requestsOpenedByKey());
        }
    }

    /** The same counts in the same order. */
    private static void assertPerKey(Map<String, Long> expected, Map<String, Long> actual, String... message) {
        assertEquals(expected.toString(), actual.toString(), String.join(" ", message));
    }

    private static Map<String, Long> ordered(Object... keysAndCounts) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndCounts.length; i += 2) {
            m.put((String) keysAndCounts[i], (Long) keysAndCounts[i + 1]);
        }
        return m;
    }

    private static PackedRequest send(DatagramChannel wire, PssstClient engine, String message, SocketAddress to)
            throws Exception {
        PackedRequest r = engine.pack(message.getBytes(StandardCharsets.UTF_8));
        wire.send(ByteBuffer.wrap(r.datagram()), to);
        return r;
    }

    private static PssstPendingRequest receive(PssstServerChannel server, String expected) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(200);
        PssstPendingRequest r = server.receiveRequest(dst);
        assertEquals(expected, string(dst.flip()));
        return r;
    }

    private static String replyOf(DatagramChannel wire, PackedRequest request) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(300);
        wire.receive(b);
        return new String(request.openReply(Arrays.copyOf(b.array(), b.position())), StandardCharsets.UTF_8);
    }
}
