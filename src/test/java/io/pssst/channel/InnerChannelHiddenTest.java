package io.pssst.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No public path leads from a PSSST channel to its inner JDK channel, whose bytes are not
 * decrypted: the hook the selector uses is package-private, and no public method of the
 * channel types returns any other channel.
 */
class InnerChannelHiddenTest {

    @Test
    void innerHook_packagePrivate() throws Exception {
        assertFalse(Modifier.isPublic(LayeredDatagramChannel.class.getModifiers()));
        Method inner = LayeredDatagramChannel.class.getDeclaredMethod("inner");
        assertFalse(Modifier.isPublic(inner.getModifiers()) || Modifier.isProtected(inner.getModifiers()));
        assertTrue(Modifier.isFinal(inner.getModifiers()), "subclasses cannot widen it");
        for (Class<?> c : List.of(PssstDatagramChannel.class, PssstClientChannel.class, PssstServerChannel.class)) {
            for (Method m : c.getMethods()) {
                assertFalse(m.getName().equals("inner"), c + " exposes " + m);
            }
        }
    }

    @Test
    void publicMethods_returnNoChannelButThePssstChannel() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : List.of(PssstClientChannel.class, PssstServerChannel.class, PssstSelector.class,
                PssstPendingRequest.class)) {
            for (Method m : c.getMethods()) {
                Class<?> r = m.getReturnType();
                boolean returnsThis = m.getName().equals("configureBlocking"); // final in the JDK, returns this
                if (!m.isBridge() && !returnsThis && !Modifier.isStatic(m.getModifiers())
                        && SelectableChannel.class.isAssignableFrom(r) && !PssstDatagramChannel.class.isAssignableFrom(r)) {
                    leaks.add(c.getSimpleName() + "." + m.getName() + " -> " + r.getName());
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    /** {@code DatagramChannel.open()} is static, so subclasses inherit it: hidden, or it would hand out a plain channel. */
    @Test
    @SuppressWarnings("deprecation")
    void inheritedStaticOpen_hiddenAndRefused() throws Exception {
        for (Class<?> c : List.of(PssstDatagramChannel.class, PssstClientChannel.class, PssstServerChannel.class)) {
            for (Method m : c.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) && m.getName().equals("open")) {
                    assertEquals(PssstDatagramChannel.class, m.getDeclaringClass(), m.toString());
                }
            }
        }
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> PssstClientChannel.open());
        assertTrue(e.getMessage().contains("builder"), e.getMessage());
        assertThrows(UnsupportedOperationException.class,
                () -> PssstServerChannel.open(java.net.StandardProtocolFamily.INET));
    }

    @Test
    void viewsOfTheChannel_reportTheChannelItself() throws Exception {
        try (PssstClientChannel client = PssstDatagramChannel.openClient(Loopback.serverPublic())) {
            assertSame(client, client.socket().getChannel());
            assertSame(PssstSelectorProvider.provider(), client.provider());
        }
    }
}
