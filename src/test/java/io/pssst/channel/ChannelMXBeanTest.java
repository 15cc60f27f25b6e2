package io.pssst.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PssstClient;
import io.pssst.PssstKeys;
import io.pssst.channel.PssstChannelStats.DropReason;
import io.pssst.internal.channel.ChannelMBean;
import io.pssst.internal.channel.MBeanReadings;
import io.pssst.testing.JmxLoopback;
import io.pssst.testing.Race;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetBoundException;
import java.security.interfaces.XECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenMBeanAttributeInfo;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The channels' MXBeans, read as {@code jconsole} and monitoring agents read them: through the
 * platform MBean server and through a JMX connector on loopback (RMI registry and
 * {@code service:jmx:rmi:///jndi/rmi://127.0.0.1:PORT/jmxrmi}), before and after traffic;
 * named as documented, quoted where ObjectName requires, numbered when a name is taken, and
 * gone when the channel closes, even when the close races the registration.
 */
public class ChannelMXBeanTest {
    private static final MBeanServer PLATFORM = ManagementFactory.getPlatformMBeanServer();
    private static JmxLoopback jmx;

    /** What a user's own MXBean interface over a server channel's bean can look like. */
    public interface ServerViewMXBean {
        long getRequestsAccepted();

        long getRepliesSent();

        long getDroppedDecryptFailed();

        long getPendingReplies();

        String getChannel();
    }

    /** An interface for a bean with a table: requests opened per key. */
    public interface KeyedViewMXBean {
        Map<String, Long> getRequestsOpenedPerKey();

        long getRequestsAccepted();
    }

    @BeforeAll
    static void connectorOnLoopback() throws Exception {
        jmx = new JmxLoopback();
    }

    @AfterAll
    static void stopConnector() throws Exception {
        jmx.close();
    }

    @Test
    void serverChannel_byAddress_readThroughPlatformAndConnector_beforeAndAfterTraffic() throws Exception {
        try (Loopback.ReversingServer server = new Loopback.ReversingServer("127.0.0.1");
                JMXConnector connector = jmx.connect()) {
            MBeanServerConnection remote = connector.getMBeanServerConnection();
            ObjectName name = server.channel.registerMXBean();
            int port = ((InetSocketAddress) server.address).getPort();
            assertEquals(new ObjectName("io.pssst:type=ServerChannel,name=\"127.0.0.1:" + port + "\""), name);
            assertEquals("127.0.0.1:" + port, ObjectName.unquote(name.getKeyProperty("name")));
            assertTrue(remote.queryNames(new ObjectName("io.pssst:type=ServerChannel,*"), null).contains(name));

            for (MBeanServerConnection c : List.of(PLATFORM, remote)) {
                assertSameAsStats(c, name, server.channel);
                assertEquals(0L, c.getAttribute(name, "DatagramsReceived"));
                assertEquals(0L, c.getAttribute(name, "DroppedTotal"));
            }

            try (PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic())
                    .retryPolicy(PssstRetryPolicy.noRetransmission(Duration.ofSeconds(10))).open();
                    DatagramChannel raw = DatagramChannel.open()) {
                for (int i = 0; i < 3; i++) {
                    ByteBuffer reply = client.call(Loopback.utf8("abc" + i), server.address, Duration.ofSeconds(5));
                    assertEquals(i + "cba", Loopback.string(reply));
                }
                raw.send(ByteBuffer.allocate(10), server.address); // malformed
                XECPublicKey other = (XECPublicKey) PssstKeys.generateKeyPair().getPublic();
                raw.send(ByteBuffer.wrap(PssstClient.anonymous(other).pack(new byte[5]).datagram()), server.address);
                awaitDrops(server.channel, 2);
            }
            for (MBeanServerConnection c : List.of(PLATFORM, remote)) {
                assertSameAsStats(c, name, server.channel);
                assertEquals(3L, c.getAttribute(name, "RequestsAccepted"));
                assertEquals(3L, c.getAttribute(name, "RepliesSent"));
                assertEquals(5L, c.getAttribute(name, "DatagramsReceived"));
                assertEquals(1L, c.getAttribute(name, "DroppedMalformed"));
                assertEquals(1L, c.getAttribute(name, "DroppedDecryptFailed"));
                assertEquals(2L, c.getAttribute(name, "DroppedTotal"));
                assertEquals(0L, c.getAttribute(name, "PendingReplies"));
                assertTrue(((String) c.getAttribute(name, "Channel")).startsWith("PssstServerChannel[local=/127.0.0.1:"));
                String key = server.channel.stats().serverKeys().get(0);
                assertEquals(key, c.getAttribute(name, "ServerKeys"));
                TabularData perKey = (TabularData) c.getAttribute(name, "RequestsOpenedByKey");
                assertEquals(1, perKey.size());
                CompositeData row = (CompositeData) perKey.values().iterator().next();
                assertEquals(key, row.get("key"));
                assertEquals(3L, row.get("value"), "the three calls; the forged request opened with no key");
            }
            ServerViewMXBean view = JMX.newMXBeanProxy(remote, name, ServerViewMXBean.class);
            assertEquals(3, view.getRequestsAccepted());
            assertEquals(3, view.getRepliesSent());
            assertEquals(1, view.getDroppedDecryptFailed());
            assertEquals(0, view.getPendingReplies());

            server.close();
            assertFalse(PLATFORM.isRegistered(name));
            assertFalse(remote.isRegistered(name));
        }
    }

    @Test
    void clientChannel_byName_countsCallsTimeoutsAndRetransmissions_unregisteredOnClose() throws Exception {
        ObjectName name;
        try (Loopback.ReversingServer server = new Loopback.ReversingServer("127.0.0.1");
                DatagramChannel silent = DatagramChannel.open().bind(Loopback.any("127.0.0.1"));
                PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic())
                        .retryPolicy(PssstRetryPolicy.of(Duration.ofMillis(20), 2.0, Duration.ofMillis(40), 3)).open();
                JMXConnector connector = jmx.connect()) {
            MBeanServerConnection remote = connector.getMBeanServerConnection();
            assertThrows(NotYetBoundException.class, client::registerMXBean);
            name = client.registerMXBean("payments-client");
            assertEquals(new ObjectName("io.pssst:type=ClientChannel,name=payments-client"), name);
            assertSameAsStats(remote, name, client);
            assertEquals(0L, remote.getAttribute(name, "RequestsSent"));

            client.call(Loopback.utf8("one"), server.address, Duration.ofSeconds(5));
            client.call(Loopback.utf8("two"), server.address, Duration.ofSeconds(5));
            assertThrows(PssstTimeoutException.class,
                    () -> client.call(Loopback.utf8("lost"), silent.getLocalAddress(), Duration.ofMillis(300)));
            for (MBeanServerConnection c : List.of(PLATFORM, remote)) {
                assertSameAsStats(c, name, client);
                assertEquals(3L, c.getAttribute(name, "RequestsSent"));
                assertEquals(2L, c.getAttribute(name, "RepliesAccepted"));
                assertEquals(1L, c.getAttribute(name, "RequestsTimedOut"));
                // the lost request's attempts 2 and 3 (at 20 and 60 ms), and any of a slow reply's
                assertTrue((Long) c.getAttribute(name, "Retransmissions") >= 1);
                assertEquals(0L, c.getAttribute(name, "OutstandingRequests"));
            }
            MBeanAttributeInfo gauge = attribute(remote.getMBeanInfo(name), "OutstandingRequests");
            assertEquals("gauge", gauge.getDescriptor().getFieldValue("metricType"));

            client.close();
            assertFalse(remote.isRegistered(name));
        }
        assertFalse(PLATFORM.isRegistered(name));
    }

    /**
     * Every counter of the stats and every drop reason is an attribute, long and read-only,
     * named as documented: a counter or reason added later appears without a change to the
     * MXBean. And {@code counters()} holds every long accessor of the stats, so a counter
     * added to the stats but not to that map fails here.
     */
    @Test
    void everyCounterAndDropReason_isALongReadOnlyCounterAttribute() throws Exception {
        Set<String> accessors = new TreeSet<>();
        for (Method m : PssstChannelStats.class.getMethods()) {
            if (m.getReturnType() == long.class && m.getParameterCount() == 0 && Modifier.isPublic(m.getModifiers())
                    && !m.getName().equals("droppedTotal")) {
                accessors.add(m.getName());
            }
        }
        try (PssstServerChannel server = PssstServerChannel.builder(Loopback.serverPrivate()).open();
                PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic()).open()) {
            assertEquals(accessors, new TreeSet<>(server.stats().counters().keySet()), "counters() names every counter");
            for (PssstDatagramChannel ch : List.of(server, client)) {
                ObjectName name = ch.registerMXBean("every-counter");
                MBeanInfo info = PLATFORM.getMBeanInfo(name);
                Set<String> expected = new TreeSet<>();
                accessors.forEach(a -> expected.add(Character.toUpperCase(a.charAt(0)) + a.substring(1)));
                for (DropReason r : DropReason.values()) {
                    expected.add(MBeanReadings.dropAttribute(r));
                }
                expected.add("DroppedTotal");
                for (String a : expected) {
                    MBeanAttributeInfo i = attribute(info, a);
                    assertEquals(SimpleType.LONG, ((OpenMBeanAttributeInfo) i).getOpenType(), a);
                    assertTrue(i.isReadable() && !i.isWritable(), a);
                    assertEquals("counter", i.getDescriptor().getFieldValue("metricType"), a);
                }
                int extra = ch == server ? 4 : 2; // a gauge and Channel; a server's ServerKeys and RequestsOpenedByKey
                assertEquals(expected.size() + extra, info.getAttributes().length,
                        "the counters, a gauge, Channel (and a server's keys and per-key table)");
                assertThrows(AttributeNotFoundException.class,
                        () -> PLATFORM.setAttribute(name, new Attribute("DatagramsReceived", 5L)));
                assertThrows(AttributeNotFoundException.class, () -> PLATFORM.getAttribute(name, "NoSuchCounter"));
            }
        }
        assertEquals("DroppedDecryptFailed", MBeanReadings.dropAttribute(DropReason.DECRYPT_FAILED));
        assertEquals("DroppedUnanswerableSource", MBeanReadings.dropAttribute(DropReason.UNANSWERABLE_SOURCE));
    }

    /** Counts kept per key (for key rotation) are a table: jconsole shows rows, a proxy gets a map. */
    @Test
    void tableOfCountsPerKey_isTabularData_aProxyReadsAMap() throws Exception {
        String key1 = "a".repeat(64);
        String key2 = "b".repeat(64);
        Map<String, Long> perKey = new LinkedHashMap<>(Map.of(key2, 7L, key1, 5L));
        ChannelMBean bean = new ChannelMBean("test", "a bean with a table", () -> new MBeanReadings()
                .counter("RequestsAccepted", 12, "accepted").table("RequestsOpenedPerKey", perKey, "per key"));
        ObjectName name = new ObjectName("io.pssst.test:type=Keyed");
        PLATFORM.registerMBean(bean, name);
        try (JMXConnector connector = jmx.connect()) {
            MBeanServerConnection remote = connector.getMBeanServerConnection();
            TabularData table = (TabularData) remote.getAttribute(name, "RequestsOpenedPerKey");
            Map<String, Long> rows = new TreeMap<>();
            for (Object row : table.values()) {
                CompositeData d = (CompositeData) row;
                rows.put((String) d.get("key"), (Long) d.get("value"));
            }
            assertEquals(Map.of(key1, 5L, key2, 7L), rows);
            KeyedViewMXBean view = JMX.newMXBeanProxy(remote, name, KeyedViewMXBean.class);
            assertEquals(Map.of(key1, 5L, key2, 7L), view.getRequestsOpenedPerKey());
            assertEquals(12, view.getRequestsAccepted());
            perKey.put(key1, 6L);
            assertEquals(6L, view.getRequestsOpenedPerKey().get(key1), "read afresh");
        } finally {
            PLATFORM.unregisterMBean(name);
        }
    }

    @Test
    void oneNameOrOneAddress_laterChannelsGetInstanceNumbers_closingFreesTheName() throws Exception {
        List<PssstServerChannel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                channels.add(PssstServerChannel.builder(Loopback.serverPrivate()).open());
            }
            assertEquals(new ObjectName("io.pssst:type=ServerChannel,name=pool"), channels.get(0).registerMXBean("pool"));
            assertEquals(new ObjectName("io.pssst:type=ServerChannel,name=pool,instance=2"),
                    channels.get(1).registerMXBean("pool"));
            assertEquals(new ObjectName("io.pssst:type=ServerChannel,name=pool,instance=3"),
                    channels.get(2).registerMXBean("pool"));
            assertEquals(3, PLATFORM.queryNames(new ObjectName("io.pssst:type=ServerChannel,name=pool,*"), null).size());
            channels.get(0).close();
            assertEquals(new ObjectName("io.pssst:type=ServerChannel,name=pool"), channels.get(3).registerMXBean("pool"));
            // A client and a server may share a name: the type tells them apart.
            try (PssstClientChannel client = PssstClientChannel.builder(Loopback.serverPublic()).open()) {
                assertEquals(new ObjectName("io.pssst:type=ClientChannel,name=pool"), client.registerMXBean("pool"));
            }
        } finally {
            for (PssstServerChannel c : channels) {
                c.close();
            }
        }
        assertEquals(Set.of(), PLATFORM.queryNames(new ObjectName("io.pssst:name=pool,*"), null));
    }

    @Test
    void twoChannelsOnOnePort_soReusePort_secondIsInstance2() throws Exception {
        try (PssstServerChannel a = PssstServerChannel.builder(Loopback.serverPrivate()).open();
                PssstServerChannel b = PssstServerChannel.builder(Loopback.serverPrivate()).open()) {
            a.setOption(StandardSocketOptions.SO_REUSEPORT, true).bind(Loopback.any("127.0.0.1"));
            b.setOption(StandardSocketOptions.SO_REUSEPORT, true).bind(a.getLocalAddress());
            ObjectName first = a.registerMXBean();
            ObjectName second = b.registerMXBean();
            assertNull(first.getKeyProperty("instance"));
            assertEquals("2", second.getKeyProperty("instance"));
            assertEquals(first.getKeyProperty("name"), second.getKeyProperty("name"));
        }
    }

    @Test
    void names_quotedOnlyWhereObjectNameRequires_andRoundTrip() throws Exception {
        Map<String, Boolean> names = new LinkedHashMap<>();
        names.put("plain-name_1.2 with spaces", false);
        names.put("back\\slash", false);
        names.put("a,b", true);
        names.put("x=y", true);
        names.put("host:7667", true);
        names.put("has\"quote", true);
        names.put("star*", true);
        names.put("what?", true);
        names.put("new\nline", true);
        names.put("[::1]:7667", true);
        for (Map.Entry<String, Boolean> e : names.entrySet()) {
            try (PssstServerChannel ch = PssstServerChannel.builder(Loopback.serverPrivate()).open()) {
                ObjectName on = ch.registerMXBean(e.getKey());
                String value = on.getKeyProperty("name");
                assertFalse(on.isPattern(), on::toString);
                assertEquals(e.getValue(), value.startsWith("\""), on::toString);
                assertEquals(e.getKey(), e.getValue() ? ObjectName.unquote(value) : value);
                assertTrue(PLATFORM.isRegistered(on));
            }
        }
    }

    @Test
    void misuse_refusedWithTheDocumentedExceptions() throws Exception {
        PssstServerChannel ch = PssstServerChannel.builder(Loopback.serverPrivate()).open();
        assertThrows(NotYetBoundException.class, ch::registerMXBean);
        assertThrows(IllegalArgumentException.class, () -> ch.registerMXBean(""));
        assertThrows(NullPointerException.class, () -> ch.registerMXBean(null));
        ObjectName name = ch.registerMXBean("misuse");
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> ch.registerMXBean("misuse-2"));
        assertTrue(twice.getMessage().contains(name.toString()), twice::getMessage);
        PLATFORM.unregisterMBean(name); // by someone else, through JMX: closing copes
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.registerMXBean("misuse"));
        assertThrows(ClosedChannelException.class, ch::registerMXBean);
        assertFalse(PLATFORM.isRegistered(name));
    }

    /** A registration racing the close: registered then unregistered, or refused; never left behind. */
    @Test
    void registerRacingClose_neverLeavesABeanBehind() throws Exception {
        Map<String, Integer> outcomes = new HashMap<>();
        try (Race race = new Race(2)) {
            for (int round = 0; round < 300; round++) {
                PssstServerChannel ch = PssstServerChannel.builder(Loopback.serverPrivate()).open();
                List<Race.Outcome<Object>> o = race.run(t -> t == 0 ? ch.registerMXBean("race") : close(ch));
                Throwable thrown = o.get(0).thrown();
                assertTrue(thrown == null || thrown instanceof ClosedChannelException, () -> String.valueOf(thrown));
                assertTrue(o.get(1).ok(), () -> String.valueOf(o.get(1).thrown()));
                outcomes.merge(thrown == null ? "registered, then unregistered by close" : "refused", 1, Integer::sum);
                assertEquals(Set.of(), PLATFORM.queryNames(new ObjectName("io.pssst:type=ServerChannel,name=race,*"), null),
                        "round " + round);
            }
        }
        System.out.println("ChannelMXBeanTest: register racing close, 300 rounds: " + outcomes);
    }

    private static Object close(PssstDatagramChannel ch) throws Exception {
        ch.close();
        return null;
    }

    /** Every attribute the stats have equals the stats of the channel, read in one getAttributes. */
    private static void assertSameAsStats(MBeanServerConnection c, ObjectName name, PssstDatagramChannel ch)
            throws Exception {
        PssstChannelStats stats = ch.stats();
        Map<String, Long> expected = new TreeMap<>();
        stats.counters().forEach((k, v) -> expected.put(Character.toUpperCase(k.charAt(0)) + k.substring(1), v));
        for (DropReason r : DropReason.values()) {
            expected.put(MBeanReadings.dropAttribute(r), stats.dropped(r));
        }
        expected.put("DroppedTotal", stats.droppedTotal());
        AttributeList list = c.getAttributes(name, expected.keySet().toArray(String[]::new));
        Map<String, Long> actual = new TreeMap<>();
        for (Attribute a : list.asList()) {
            actual.put(a.getName(), (Long) a.getValue());
        }
        assertEquals(expected, actual, name::toString);
    }

    private static MBeanAttributeInfo attribute(MBeanInfo info, String name) {
        for (MBeanAttributeInfo a : info.getAttributes()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        throw new AssertionError("no attribute " + name + " in " + info);
    }

    private static void awaitDrops(PssstDatagramChannel ch, long drops) throws InterruptedException {
        for (int i = 0; i < 500 && ch.stats().droppedTotal() < drops; i++) {
            Thread.sleep(10);
        }
        assertEquals(drops, ch.stats().droppedTotal(), ch.stats()::toString);
    }
}
